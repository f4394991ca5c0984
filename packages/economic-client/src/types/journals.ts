/** Journals, vouchers and entries (economic-api.md §4.13). */
import type { AccountRef, CustomerRef, DateString, DepartmentalDistributionRef, EmployeeRef, ProjectRef, UnitRef, VatAccountRef } from './common';

export interface Journal {
  journalNumber: number;
  name: string;
  settings?: {
    voucherNumbers?: { minimumVoucherNumber?: number; maximumVoucherNumber?: number };
    entryTypeRestrictedTo?: string;
    contraAccounts?: { customerPayments?: AccountRef; financeVouchers?: AccountRef; supplierPayments?: AccountRef };
  };
  vouchers?: string;
  entries?: string;
  templates?: { financeVoucher?: string; manualCustomerInvoice?: string; self?: string };
  self: string;
}

interface EntryBase {
  /** The sign sets debit or credit. */
  amount: number;
  date: DateString;
  /** Max 250. */
  text?: string;
  currency?: { code: string };
  exchangeRate?: number;
  amountBaseCurrency?: number;
  departmentalDistribution?: DepartmentalDistributionRef;
  voucher?: { voucherNumber: number; self?: string };
  entryType?: string;
  self?: string;
}

export interface CustomerPaymentEntry extends EntryBase {
  customer?: CustomerRef;
  /** E.g. the bank account. */
  contraAccount?: AccountRef;
  /** The booked invoice number being paid. */
  customerInvoice?: number;
  contraVatAccount?: VatAccountRef;
  contraVatAmount?: number;
  employee?: EmployeeRef;
  remainder?: number;
  remainderInDefaultCurrency?: number;
}

export interface FinanceVoucherEntry extends EntryBase {
  account?: AccountRef;
  contraAccount?: AccountRef;
  vatAccount?: VatAccountRef;
  vatAmount?: number;
  contraVatAccount?: VatAccountRef;
  contraVatAmount?: number;
  project?: ProjectRef;
  quantity1?: number;
  quantity2?: number;
  unit1?: UnitRef;
  unit2?: UnitRef;
}

export interface ManualCustomerInvoiceEntry extends EntryBase {
  customer: CustomerRef;
  customerInvoiceNumber?: number;
  dueDate?: DateString;
  contraAccount?: AccountRef;
}

export interface SupplierEntry extends EntryBase {
  supplier?: { supplierNumber: number; self?: string };
  /** Max 30. */
  supplierInvoiceNumber?: string;
  contraAccount?: AccountRef;
  dueDate?: DateString;
  paymentDetails?: Record<string, unknown>;
}

export interface VoucherEntries {
  customerPayments?: CustomerPaymentEntry[];
  financeVouchers?: FinanceVoucherEntry[];
  manualCustomerInvoices?: ManualCustomerInvoiceEntry[];
  supplierInvoices?: SupplierEntry[];
  supplierPayments?: SupplierEntry[];
}

/** Body of `POST /journals/:n/vouchers`. */
export interface VoucherInput {
  /** `year` is a string: "2024", or "2023/2024" for a broken fiscal year. */
  accountingYear: { year: string; self?: string };
  /** Filled in from the path when left out. */
  journal?: { journalNumber: number; self?: string };
  entries: VoucherEntries;
}

export interface Voucher extends VoucherInput {
  voucherNumber?: number;
  attachment?: string;
  self?: string;
}

/** One item of `/journals/:n/entries`: an entry not yet booked. */
export interface JournalEntry extends Partial<EntryBase> {
  entryNumber?: number;
  journal?: { journalNumber: number; self?: string };
  account?: AccountRef;
  contraAccount?: AccountRef;
  customer?: CustomerRef;
  customerInvoice?: number;
  accountingYear?: { year: string; self?: string };
}
