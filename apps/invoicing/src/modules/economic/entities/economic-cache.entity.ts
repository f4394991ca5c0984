import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Products known to exist in an agreement, so the steady state checks SKUs without calling e-conomic. */
@Entity('economic_products')
export class EconomicProductEntity {
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  /** Lower-cased: e-conomic product numbers are case-insensitive. */
  @PrimaryColumn({ name: 'product_key', type: 'text' }) productKey: string;
  @Column({ name: 'product_number', type: 'text' }) productNumber: string;
  @Column({ name: 'checked_at', type: 'timestamptz' }) checkedAt: Date;
}

/** Small facts about an agreement (first layout, first payment terms, e-invoicing, accounting years). */
@Entity('economic_agreement_facts')
export class EconomicAgreementFactEntity {
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  @PrimaryColumn({ type: 'text' }) fact: string;
  @Column({ type: 'jsonb' }) value: unknown;
  @Column({ name: 'fetched_at', type: 'timestamptz' }) fetchedAt: Date;
}
