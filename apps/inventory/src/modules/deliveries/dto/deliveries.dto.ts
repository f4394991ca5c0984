import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { DeliveriesListRequest, RedeliverRequest } from '@bogholder/contracts';

export class DeliveriesListDto implements DeliveriesListRequest {
  @IsString() @Length(1, 200) shopId: string;
  @IsOptional() @IsIn(['pending', 'delivered', 'dead']) status?: 'pending' | 'delivered' | 'dead';
  @IsInt() @Min(1) @Max(500) limit: number;
  @IsInt() @Min(0) offset: number;
}

export class RedeliverDto implements RedeliverRequest {
  @IsString() @Length(1, 200) shopId: string;
  @IsString() @Length(1, 200) deliveryId: string;
}
