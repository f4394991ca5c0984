import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CustomersLookupRequest, OrderCustomer } from '@bogholder/contracts';

/** `rpc.customers.lookup`: which customer (and contact) `ensure` would use, without writing anything. */
export class LookupCustomerDto implements CustomersLookupRequest {
  @IsString() @Length(1, 200) shopId: string;
  @IsDefined() @ValidateNested() @Type(() => OrderCustomer) customer: OrderCustomer;
  @IsOptional() @IsBoolean() needContact?: boolean;
}
