/** Draft and booked invoices (economic-api.md §4.11–4.12). Absent booleans mean false. */
import type {
  CustomerContactRef,
  CustomerRef,
  DateString,
  DeliveryLocationRef,
  DepartmentalDistributionRef,
  EmployeeRef,
  LayoutRef,
  PaymentTermsRef,
  ProductRef,
  ProjectRef,
  UnitRef,
  VatZoneRef,
} from './common';
import type { PaymentTermsType } from './reference-data';

export interface InvoiceRecipient {
  name: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  /** Max 13 characters. */
  ean?: string;
  publicEntryNumber?: string;
  nemHandelType?: 'ean' | 'corporateIdentificationNumber' | 'pNumber';
  attention?: CustomerContactRef;
  vatZone: VatZoneRef & { name?: string; enabledForCustomer?: boolean; enabledForSupplier?: boolean };
  mobilePhone?: string;
  cvr?: string;
}

export interface InvoiceDelivery {
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  deliveryDate?: DateString;
  deliveryTerms?: string;
}

export interface InvoiceNotes {
  heading?: string;
  textLine1?: string;
  textLine2?: string;
}

export interface InvoiceReferences {
  /** The customer's contact ("Deres reference"). */
  customerContact?: CustomerContactRef;
  /** The seller's employee ("Vores reference"). */
  salesPerson?: EmployeeRef;
  vendorReference?: EmployeeRef;
  /** Free text, max 250, filterable: a good place for the shop's order id. */
  other?: string;
}

export interface DraftInvoiceLineInput {
  lineNumber?: number;
  sortKey?: number;
  product?: ProductRef;
  description?: string;
  /** Required when `product` is set (E04730). */
  quantity?: number;
  /** At most 2 decimals (E04740). */
  unitNetPrice?: number;
  discountPercentage?: number;
  unitCostPrice?: number;
  unit?: UnitRef;
  departmentalDistribution?: DepartmentalDistributionRef;
  accrual?: { startDate: DateString; endDate: DateString };
}

export interface DraftInvoiceLine extends DraftInvoiceLineInput {
  totalNetAmount?: number;
  marginInBaseCurrency?: number;
  marginPercentage?: number;
}

/** Body of `POST /invoices/drafts` and `PUT /invoices/drafts/:n` (PUT replaces the whole draft). */
export interface DraftInvoiceInput {
  date: DateString;
  /** Required only for payment terms of type `dueDate`. */
  dueDate?: DateString;
  currency: string;
  exchangeRate?: number;
  customer: CustomerRef;
  paymentTerms: PaymentTermsRef;
  layout: LayoutRef;
  recipient: InvoiceRecipient;
  delivery?: InvoiceDelivery;
  deliveryLocation?: DeliveryLocationRef;
  notes?: InvoiceNotes;
  references?: InvoiceReferences;
  project?: ProjectRef;
  lines?: DraftInvoiceLineInput[];
}

/** Payment terms as expanded on invoices. */
export type ExpandedPaymentTerms = PaymentTermsRef & {
  name?: string;
  daysOfCredit?: number;
  paymentTermsType?: PaymentTermsType;
  description?: string;
};

interface InvoiceAmounts {
  netAmount: number;
  netAmountInBaseCurrency?: number;
  grossAmount: number;
  grossAmountInBaseCurrency?: number;
  vatAmount: number;
  roundingAmount?: number;
}

export interface DraftInvoice extends Omit<DraftInvoiceInput, 'lines' | 'paymentTerms'>, InvoiceAmounts {
  draftInvoiceNumber: number;
  paymentTerms: ExpandedPaymentTerms;
  /** Only on the single draft; the collection leaves lines out. */
  lines?: DraftInvoiceLine[];
  marginInBaseCurrency?: number;
  marginPercentage?: number;
  costPriceInBaseCurrency?: number;
  pdf?: { download: string };
  templates?: { bookingInstructions?: string; self?: string };
  soap?: { currentInvoiceHandle?: { id: number } };
  attachment?: string;
  lastUpdated?: string;
  self: string;
}

/** Answer of `DELETE /invoices/drafts/:n` (200 with a body). */
export interface DeletedDraftInvoices {
  message: string;
  deletedCount: number;
  deletedItems: Array<{ draftInvoiceNumber: number; self?: string }>;
}

export interface BookInvoiceParams {
  draftInvoiceNumber: number;
  /** Book under this number; a repeat then collides instead of creating a second invoice. */
  bookWithNumber?: number;
  /** Send via NemHandel (EAN); e-conomic checks its preconditions and refuses with 400 otherwise. */
  sendBy?: 'ean';
}

export interface BookedInvoiceLine {
  lineNumber: number;
  sortKey?: number;
  description?: string;
  quantity?: number;
  unitNetPrice?: number;
  discountPercentage?: number;
  unitCostPrice?: number;
  vatRate?: number;
  vatAmount?: number;
  totalNetAmount?: number;
  product?: ProductRef;
  unit?: UnitRef & { name?: string };
  deliveryDate?: DateString;
  departmentalDistribution?: DepartmentalDistributionRef;
}

export interface BookedInvoice extends InvoiceAmounts {
  bookedInvoiceNumber: number;
  orderNumber?: number;
  date: DateString;
  dueDate?: DateString;
  currency: string;
  exchangeRate?: number;
  /** Amount still unpaid. */
  remainder: number;
  remainderInBaseCurrency?: number;
  paymentTerms: ExpandedPaymentTerms;
  customer: CustomerRef;
  recipient: InvoiceRecipient;
  delivery?: InvoiceDelivery;
  deliveryLocation?: DeliveryLocationRef;
  notes?: InvoiceNotes;
  references?: InvoiceReferences;
  layout?: LayoutRef;
  project?: ProjectRef;
  pdf?: { download: string };
  sent?: string;
  lines?: BookedInvoiceLine[];
  self: string;
}
