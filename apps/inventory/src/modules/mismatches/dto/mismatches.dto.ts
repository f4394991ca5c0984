import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { InventoryMismatchesRequest, ShopScopedRequest } from '@bogholder/contracts';

export class ShopScopedDto implements ShopScopedRequest {
  @IsString() @Length(1, 200) shopId: string;
}

export class MismatchesRequestDto implements InventoryMismatchesRequest {
  @IsString() @Length(1, 200) shopId: string;
  @IsOptional() @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @IsInt() @Min(0) offset?: number;
}
