import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsInt, IsNumber, IsOptional, IsString,
  Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsCountryCode, IsCurrencyCode, IsStringOrInteger, IsTimestamp, MaxDecimals } from '../validators';

/** Max length of an order id / refund id, so `bogholder:<shopId>:<orderId>:refund:<refundId>` fits e-conomic's 250. */
export const MAX_ORDER_ID_LENGTH = 100;
export const MAX_REFUND_ID_LENGTH = 80;

export class Period {
  @IsCalendarDate() start: string;
  @IsCalendarDate() end: string;
}

export class OrderLine {
  @IsString() @Length(1, 100) sku: string;
  @IsString() @MaxLength(2500) description: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.01, { message: 'quantity must be positive' }) @Max(99_999_999) @MaxDecimals(2)
  quantity: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-99_999_999) @Max(99_999_999) @MaxDecimals(2) unitNetPrice: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100) @MaxDecimals(2) discountPercentage?: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100) @MaxDecimals(2) vatRate: number;
  @IsOptional() @ValidateNested() @Type(() => Period) period?: Period;
}

export class Shipping {
  @IsString() @MaxLength(2500) description: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(99_999_999) @MaxDecimals(2) amount: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100) @MaxDecimals(2) vatRate: number;
}

export class OrderCustomer {
  /** The shop's own id for the customer (the preferred match key). */
  @IsOptional() @IsString() @Length(1, 100) id?: string;
  /** The shop's customer number; used as the e-conomic number with `customerNumbering: "shop"`. */
  @IsOptional() @IsStringOrInteger() number?: string | number;
  @IsString() @Length(1, 255) name: string;
  @IsOptional() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(255) email?: string;
  @IsOptional() @IsString() @MaxLength(510) address?: string;
  @IsOptional() @IsString() @MaxLength(30) zip?: string;
  @IsOptional() @IsString() @MaxLength(50) city?: string;
  @IsCountryCode() country: string;
  @IsOptional() @IsString() @Matches(/^[A-Z0-9]{1,40}$/i, { message: 'cvr must be letters and digits only (at most 40)' }) cvr?: string;
  @IsOptional() @IsString() @Matches(/^\d{13}$/, { message: 'ean must be a 13-digit EAN/GLN location number' }) ean?: string;
  @IsOptional() @IsString() @Length(1, 255) eanContactName?: string;
}

export class Order {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsInt() @Min(1) @Max(999_999_999) orderNumber: number;
  @IsCurrencyCode() currency: string;
  @IsCalendarDate() date: string;
  @IsDefined() @ValidateNested() @Type(() => OrderCustomer) customer: OrderCustomer;
  @IsArray() @ArrayMinSize(1, { message: 'lines must contain at least one line' }) @ArrayMaxSize(1000)
  @ValidateNested({ each: true }) @Type(() => OrderLine)
  lines: OrderLine[];
  @IsOptional() @ValidateNested() @Type(() => Shipping) shipping?: Shipping;
}

export class Payment {
  /** Optional payment id; payments without one count as the order's single payment. */
  @IsOptional() @IsString() @Length(1, 100) id?: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(999_999_999) @MaxDecimals(2) amount: number;
  @IsCurrencyCode() currency: string;
  @IsTimestamp() paidAt: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(999_999_999) @MaxDecimals(2) fee?: number;
  @IsOptional() @IsString() @MaxLength(100) gateway?: string;
}

export class OrderPaidData {
  @IsDefined() @ValidateNested() @Type(() => Order) order: Order;
  @IsDefined() @ValidateNested() @Type(() => Payment) payment: Payment;
}

export class OrderShippedData {
  @IsDefined() @ValidateNested() @Type(() => Order) order: Order;
  @IsTimestamp() shippedAt: string;
}

export class OrderUpdatedData {
  @IsDefined() @ValidateNested() @Type(() => Order) order: Order;
}

export class OrderRefundedData {
  @IsString() @Length(1, MAX_ORDER_ID_LENGTH) orderId: string;
  @IsString() @Length(1, MAX_REFUND_ID_LENGTH) refundId: string;
  @IsArray() @ArrayMinSize(1, { message: 'lines must contain at least one refunded line' }) @ArrayMaxSize(1000)
  @ValidateNested({ each: true }) @Type(() => OrderLine)
  lines: OrderLine[];
  @IsTimestamp() refundedAt: string;
}

export class StockSnapshotItem {
  @IsString() @Length(1, 100) sku: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-99_999_999) @Max(99_999_999) @MaxDecimals(2) quantity: number;
}

export class StockSnapshotData {
  @IsArray() @ArrayMaxSize(100_000) @ValidateNested({ each: true }) @Type(() => StockSnapshotItem) items: StockSnapshotItem[];
}
