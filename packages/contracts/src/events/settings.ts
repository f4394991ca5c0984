import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsRecordOf } from '../validators';

export class VatZones {
  @IsInt() @Min(1) @Max(999_999_999) domestic: number;
  @IsInt() @Min(1) @Max(999_999_999) eu: number;
  @IsInt() @Min(1) @Max(999_999_999) abroad: number;
}

const isProductNumber = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 25;

/** A shop's settings (CONTRACT.md §2). Unset values are `null`. */
export class Settings {
  @IsIn(['payment', 'shipment']) transferTrigger: 'payment' | 'shipment';
  @IsIn(['draft', 'book', 'bookWithNumber']) bookingMode: 'draft' | 'book' | 'bookWithNumber';
  @IsInt() @Min(0) @Max(999_999_998) invoiceNumberOffset: number;
  @IsIn(['lines', 'total']) productLayout: 'lines' | 'total';
  @ValidateIf((s: Settings) => s.productLayout === 'total' || s.totalLineProducts !== null)
  @IsDefined({ message: 'totalLineProducts is required when productLayout is "total": map each VAT rate to an e-conomic product, e.g. {"25": "SALG25", "0": "SALG0"}' })
  @IsRecordOf(/^\d{1,3}(\.\d{1,2})?$/, isProductNumber, 'VAT rate → e-conomic product number (1–25 characters), e.g. {"25": "SALG25"}')
  totalLineProducts: Record<string, string> | null;
  @IsOptional() @IsString() @Length(1, 25) shippingProductNumber: string | null;
  @IsOptional() @IsInt() @Min(1) @Max(999_999_999) layoutNumber: number | null;
  @IsOptional() @IsInt() @Min(1) @Max(999_999_999) paymentTermsNumber: number | null;
  @IsInt() @Min(1) @Max(999_999_999) customerGroupNumber: number;
  @IsBoolean() createCustomers: boolean;
  @IsIn(['shop', 'sequence']) customerNumbering: 'shop' | 'sequence';
  @IsInt() @Min(1) @Max(999_999_999) customerNumberStart: number;
  @IsBoolean() eanInvoicing: boolean;
  @IsBoolean() accrual: boolean;
  @IsBoolean() postPayments: boolean;
  @ValidateIf((s: Settings) => s.postPayments || s.paymentJournalNumber !== null)
  @IsDefined({ message: 'paymentJournalNumber is required when postPayments is true (e.g. 2 "Indbetalinger")' })
  @IsInt() @Min(1) @Max(999_999_999)
  paymentJournalNumber: number | null;
  @ValidateIf((s: Settings) => s.postPayments || s.postingAccountNumber !== null)
  @IsDefined({ message: 'postingAccountNumber is required when postPayments is true: use a suspense account such as 5830 "Webshop mellemregning", not the bank' })
  @IsInt() @Min(1) @Max(999_999_999)
  postingAccountNumber: number | null;
  @IsBoolean() stockSync: boolean;
  @IsInt() @Min(10) @Max(86_400) stockSyncIntervalSeconds: number;
  @IsDefined() @ValidateNested() @Type(() => VatZones) vatZones: VatZones;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  transferTrigger: 'payment',
  bookingMode: 'book',
  invoiceNumberOffset: 0,
  productLayout: 'lines',
  totalLineProducts: null,
  shippingProductNumber: null,
  layoutNumber: null,
  paymentTermsNumber: null,
  customerGroupNumber: 1337,
  createCustomers: true,
  customerNumbering: 'sequence',
  customerNumberStart: 100000,
  eanInvoicing: false,
  accrual: false,
  postPayments: false,
  paymentJournalNumber: null,
  postingAccountNumber: null,
  stockSync: false,
  stockSyncIntervalSeconds: 60,
  vatZones: Object.freeze({ domestic: 1, eu: 2, abroad: 3 }),
}) as Settings;

export const SETTINGS_FIELDS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** Settings with every field present: missing ones get their defaults (PUT semantics). */
export function withDefaults(partial: Partial<Settings> | null | undefined): Settings {
  const merged: Record<string, unknown> = {};
  for (const key of SETTINGS_FIELDS) {
    const value = partial?.[key];
    merged[key] = value === undefined ? structuredClone(DEFAULT_SETTINGS[key]) : value;
  }
  return merged as unknown as Settings;
}
