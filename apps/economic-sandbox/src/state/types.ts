/**
 * The sandbox's in-memory model. Entities are stored in the shape e-conomic answers with (minus
 * self links and link blobs), so filter and sort paths such as `customer.customerNumber` work on
 * the stored objects directly.
 */

export type AgreementType = 'denmark' | 'sweden' | 'norway';

export interface Contact {
  customerContactNumber: number;
  name: string;
  email?: string;
  phone?: string;
  notes?: string;
  eInvoiceId?: string;
  emailNotifications?: string[];
  sortKey: number;
  customer: { customerNumber: number };
}

export interface Customer {
  customerNumber: number;
  name: string;
  currency: string;
  customerGroup: { customerGroupNumber: number };
  paymentTerms: { paymentTermsNumber: number };
  vatZone: { vatZoneNumber: number };
  layout?: { layoutNumber: number };
  attention?: { customerContactNumber: number };
  customerContact?: { customerContactNumber: number };
  address?: string;
  city?: string;
  country?: string;
  zip?: string;
  email?: string;
  mobilePhone?: string;
  telephoneAndFaxNumber?: string;
  website?: string;
  corporateIdentificationNumber?: string;
  pNumber?: string;
  ean?: string;
  publicEntryNumber?: string;
  vatNumber?: string;
  creditLimit?: number;
  barred: boolean;
  balance: number;
  dueAmount: number;
  lastUpdated: string;
  contacts: Map<number, Contact>;
}

export interface CustomerGroup {
  customerGroupNumber: number;
  name?: string;
  account: { accountNumber: number };
  layout?: { layoutNumber: number };
}

export interface Inventory {
  inStock: number;
  orderedByCustomers: number;
  orderedFromSuppliers: number;
  grossWeight: number;
  netWeight: number;
  packageVolume: number;
  recommendedCostPrice: number;
  inventoryLastUpdated?: string;
}

export interface Product {
  productNumber: string;
  name: string;
  description?: string;
  barCode?: string;
  costPrice?: number;
  salesPrice?: number;
  recommendedPrice?: number;
  barred: boolean;
  lastUpdated: string;
  productGroup: { productGroupNumber: number };
  unit?: { unitNumber: number };
  inventory: Inventory;
}

export interface ProductGroup {
  productGroupNumber: number;
  name: string;
  inventoryEnabled: boolean;
  /** VAT zone number → sales account number */
  salesAccounts: Map<number, number>;
}

export interface Unit {
  unitNumber: number;
  name: string;
}

export interface Layout {
  layoutNumber: number;
  name: string;
}

export const PAYMENT_TERMS_TYPES = [
  'net',
  'invoiceMonth',
  'paidInCash',
  'prepaid',
  'dueDate',
  'factoring',
  'invoiceWeekStartingSunday',
  'invoiceWeekStartingMonday',
  'creditcard',
  'avtaleGiro',
] as const;
export type PaymentTermsType = (typeof PAYMENT_TERMS_TYPES)[number];

export interface PaymentTerms {
  paymentTermsNumber: number;
  name: string;
  paymentTermsType: PaymentTermsType;
  daysOfCredit?: number;
  description?: string;
}

export interface VatZone {
  vatZoneNumber: number;
  name: string;
  enabledForCustomer: boolean;
  enabledForSupplier: boolean;
  /** VAT rate (percent) for invoice lines without a product. */
  lineVatRate: number;
}

export interface Account {
  accountNumber: number;
  name: string;
  accountType: 'profitAndLoss' | 'status' | 'totalFrom' | 'heading' | 'headingStart' | 'sumInterval' | 'sumAlpha';
  debitCredit: 'debit' | 'credit';
  balance: number;
  barred: boolean;
  blockDirectEntries: boolean;
  vatCode?: string;
}

export interface VatCode {
  vatCode: string;
  name: string;
  ratePercentage: number;
}

export interface Journal {
  journalNumber: number;
  name: string;
  minimumVoucherNumber: number;
  entryTypeRestrictedTo?: 'customerPayment' | 'financeVoucher';
  customerPaymentsContraAccount?: number;
  nextVoucherNumber: number;
}

export interface AccountingYear {
  year: string;
  fromDate: string;
  toDate: string;
}

export interface InvoiceLine {
  lineNumber: number;
  sortKey: number;
  description: string;
  quantity: number;
  unitNetPrice: number;
  discountPercentage: number;
  unitCostPrice: number;
  totalNetAmount: number;
  vatRate: number;
  vatAmount: number;
  marginInBaseCurrency: number;
  marginPercentage: number;
  product?: { productNumber: string };
  unit?: { unitNumber: number };
  deliveryDate?: string;
  accrual?: { startDate: string; endDate: string };
}

export interface Recipient {
  name: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  ean?: string;
  publicEntryNumber?: string;
  nemHandelType?: string;
  mobilePhone?: string;
  cvr?: string;
  attention?: { customerContactNumber: number };
  vatZone: { vatZoneNumber: number };
}

export interface InvoiceDoc {
  date: string;
  dueDate: string;
  currency: string;
  exchangeRate: number;
  customer: { customerNumber: number };
  paymentTerms: { paymentTermsNumber: number };
  layout: { layoutNumber: number };
  recipient: Recipient;
  delivery?: {
    address?: string;
    zip?: string;
    city?: string;
    country?: string;
    deliveryDate?: string;
    deliveryTerms?: string;
  };
  notes?: { heading?: string; textLine1?: string; textLine2?: string };
  references?: {
    customerContact?: { customerContactNumber: number; customer: { customerNumber: number } };
    other?: string;
  };
  lines: InvoiceLine[];
  netAmount: number;
  netAmountInBaseCurrency: number;
  vatAmount: number;
  grossAmount: number;
  grossAmountInBaseCurrency: number;
  roundingAmount: number;
  costPriceInBaseCurrency: number;
  marginInBaseCurrency: number;
  marginPercentage: number;
}

export interface Draft extends InvoiceDoc {
  draftInvoiceNumber: number;
  soap: { currentInvoiceHandle: { id: number } };
  lastUpdated: string;
}

export interface Booked extends InvoiceDoc {
  bookedInvoiceNumber: number;
  remainder: number;
  remainderInBaseCurrency: number;
  sentBy?: 'ean';
}

export interface Entry {
  entryNumber: number;
  voucher: { voucherNumber: number };
  accountingYear: { year: string };
  entryType: 'customerPayment' | 'financeVoucher';
  amount: number;
  amountBaseCurrency: number;
  date: string;
  text?: string;
  currency: { code: string };
  exchangeRate: number;
  customer?: { customerNumber: number };
  account?: { accountNumber: number };
  contraAccount?: { accountNumber: number };
  vatAccount?: { vatCode: string };
  vatAmount?: number;
  customerInvoice?: number;
}

export interface Voucher {
  journal: { journalNumber: number };
  accountingYear: { year: string };
  voucherNumber: number;
  entries: { customerPayments: Entry[]; financeVouchers: Entry[] };
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  fault?: FaultKind;
  at: string;
}

export const FAULT_KINDS = ['500', '429', 'timeout', 'drop-after-commit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  rate: number;
  kinds: FaultKind[];
  seed: number;
  match?: { method?: string; path?: string };
  /** How many faults may still be injected; undefined = no limit. */
  remaining?: number;
  holdMs: number;
  /** the seeded PRNG's state */
  random: () => number;
}

export interface RateLimit {
  burst: number;
  refillPerSecond: number;
  tokens: number;
  updatedAt: number;
}

export interface WebhookConfig {
  kind: 'product' | 'invoice';
  url: string;
}

export interface Agreement {
  agreementNumber: number;
  companyName: string;
  cvr: string | null;
  agreementType: AgreementType;
  paying: boolean;
  canSendElectronicInvoice: boolean;
  inventoryModule: boolean;
  signupDate: string;

  customers: Map<number, Customer>;
  maxCustomerNumber: number;
  nextContactNumber: number;
  customerGroups: Map<number, CustomerGroup>;
  /** keyed by the lower-cased product number (product numbers are case-insensitive) */
  products: Map<string, Product>;
  productGroups: Map<number, ProductGroup>;
  units: Map<number, Unit>;
  nextUnitNumber: number;
  layouts: Map<number, Layout>;
  paymentTerms: Map<number, PaymentTerms>;
  nextPaymentTermsNumber: number;
  vatZones: Map<number, VatZone>;
  accounts: Map<number, Account>;
  vatCodes: Map<string, VatCode>;
  journals: Map<number, Journal>;
  accountingYears: Map<string, AccountingYear>;
  drafts: Map<number, Draft>;
  nextDraftNumber: number;
  booked: Map<number, Booked>;
  nextBookedNumber: number;
  /** keyed by `${journalNumber}:${year}-${voucherNumber}` */
  vouchers: Map<string, Voucher>;
  nextEntryNumber: number;

  requests: RequestLogEntry[];
  faults: FaultConfig | null;
  rateLimit: RateLimit | null;
  webhooks: WebhookConfig[];
}
