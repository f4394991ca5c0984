/** Layouts, payment terms, VAT zones and accounts (economic-api.md §4.7–4.10). Absent booleans mean false. */
import type { AccountRef, CustomerRef, VatAccountRef } from './common';

export interface Layout {
  layoutNumber: number;
  name: string;
  deleted?: boolean;
  self: string;
}

export type PaymentTermsType =
  | 'net'
  | 'invoiceMonth'
  | 'paidInCash'
  | 'prepaid'
  | 'dueDate'
  | 'factoring'
  | 'invoiceWeekStartingSunday'
  | 'invoiceWeekStartingMonday'
  | 'creditcard'
  | 'avtaleGiro';

export interface PaymentTerms {
  paymentTermsNumber: number;
  name: string;
  paymentTermsType: PaymentTermsType;
  daysOfCredit?: number;
  description?: string;
  percentageForPrepaidAmount?: number;
  percentageForRemainderAmount?: number;
  contraAccountForPrepaidAmount?: AccountRef;
  contraAccountForRemainderAmount?: AccountRef;
  creditCardCompany?: CustomerRef;
  self: string;
}

export interface VatZone {
  vatZoneNumber: number;
  name: string;
  enabledForCustomer?: boolean;
  enabledForSupplier?: boolean;
  self: string;
}

export type AccountType = 'profitAndLoss' | 'status' | 'totalFrom' | 'heading' | 'headingStart' | 'sumInterval' | 'sumAlpha';

export interface Account {
  accountNumber: number;
  accountType: AccountType;
  name: string;
  balance?: number;
  draftBalance?: number;
  debitCredit?: 'debit' | 'credit';
  blockDirectEntries?: boolean;
  barred?: boolean;
  vatAccount?: VatAccountRef;
  contraAccount?: AccountRef;
  totalFromAccount?: AccountRef;
  accountsSummed?: Array<{ fromAccount: AccountRef; toAccount: AccountRef }>;
  accountingYears?: string;
  self: string;
}
