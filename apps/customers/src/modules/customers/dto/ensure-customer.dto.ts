import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { CustomersEnsureRequest, IsCurrencyCode, OrderCustomer } from '@bogholder/contracts';

/** `rpc.customers.ensure`: find or create the e-conomic customer (and reference contact) of an order. */
export class EnsureCustomerDto implements CustomersEnsureRequest {
  @IsString() @Length(1, 200) shopId: string;
  @IsDefined() @ValidateNested() @Type(() => OrderCustomer) customer: OrderCustomer;
  @IsBoolean() needContact: boolean;
  @IsOptional() @IsString() @MaxLength(200) correlationId: string;
  @IsOptional() @IsCurrencyCode() currency?: string;
  @IsOptional() @IsString() @Length(1, 50) contactEInvoiceId?: string;
  @IsOptional() @IsBoolean() verify?: boolean;
}
