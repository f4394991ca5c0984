import { EconomicAgreementFactEntity, EconomicProductEntity } from '../modules/economic/entities/economic-cache.entity';
import { JobEntity } from '../modules/queue/entities/job.entity';
import { CreditNoteEntity } from '../modules/transfers/entities/credit-note.entity';
import { PaymentEntity } from '../modules/transfers/entities/payment.entity';
import { TransferEntity } from '../modules/transfers/entities/transfer.entity';
import { InvoicingTables1767000001000 } from './migrations/1767000001000-invoicing-tables';

/** Every entity and migration of the invoicing service (its own schema, `invoicing` by default). */
export const ENTITIES: Function[] = [TransferEntity, CreditNoteEntity, PaymentEntity, JobEntity, EconomicProductEntity, EconomicAgreementFactEntity];
export const MIGRATIONS: Function[] = [InvoicingTables1767000001000];
