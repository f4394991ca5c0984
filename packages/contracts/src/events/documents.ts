import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsCalendarDate, IsCurrencyCode } from '../validators';
import { MAX_ORDER_ID_LENGTH, MAX_REFUND_ID_LENGTH } from './order';

export class CustomerCreatedData {
  /** The shop's key for the customer (its id, else e-mail, else CVR). */
  @IsString() @Length(1, 255) shopCustomerId: string;
  @IsInt() @Min(1) @Max(999_999_999) customerNumber: number;
  @IsOptional() @IsInt() @Min(1) contactNumber?: number;
}

class InvoiceAmounts {
  @IsNumber() netAmount: number;
  @IsNumber() vatAmount: number;
  @IsNumber() grossAmount: number;
  @IsCurrencyCode() currency: string;
}

export class InvoiceDraftedData extends InvoiceAmounts {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsInt() @Min(1) draftInvoiceNumber: number;
  @IsInt() @Min(1) customerNumber: number;
}

export class InvoiceBookedData extends InvoiceAmounts {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsInt() @Min(1) draftInvoiceNumber: number;
  @IsInt() @Min(1) bookedInvoiceNumber: number;
  @IsInt() @Min(1) customerNumber: number;
  @IsCalendarDate() date: string;
  @IsBoolean() sentByEan: boolean;
}

export class InvoiceFailedData {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsString() @Length(1, 100) code: string;
  @IsString() @Length(1, 2000) message: string;
  @IsBoolean() retryable: boolean;
}

export class CreditNoteBookedData {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsString() @Length(1, MAX_REFUND_ID_LENGTH) refundId: string;
  @IsInt() @Min(1) bookedInvoiceNumber: number;
  @IsNumber() @Max(0, { message: 'grossAmount of a credit note is negative' }) grossAmount: number;
  @IsCurrencyCode() currency: string;
}

export class PaymentPostedData {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsInt() @Min(1) voucherNumber: number;
  @IsNumber() @Min(0) amount: number;
  @IsCurrencyCode() currency: string;
  @IsInt() @Min(1) contraAccountNumber: number;
}

export class StockChangedData {
  @IsString() @Length(1, 100) sku: string;
  @IsNumber() available: number;
  @IsOptional() @IsNumber() previous: number | null;
}

export class InventoryMismatchData {
  @IsString() @Length(1, 100) sku: string;
  @IsIn(['missing-in-economic', 'stock-differs']) kind: 'missing-in-economic' | 'stock-differs';
  @IsOptional() @IsNumber() shopQuantity?: number;
  @IsOptional() @IsNumber() economicQuantity?: number;
}
