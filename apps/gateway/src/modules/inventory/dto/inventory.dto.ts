import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { DeliveryView } from '@bogholder/contracts';
import { PageQueryDto } from '../../../common/paging';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional() @IsIn(DELIVERY_STATUSES as unknown as string[], { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryView['status'];
}

export class MismatchDto {
  @ApiProperty() sku: string;
  @ApiProperty({ enum: ['missing-in-economic', 'stock-differs'] }) kind: 'missing-in-economic' | 'stock-differs';
  @ApiProperty({ type: Number, nullable: true }) shopQuantity: number | null;
  @ApiProperty({ type: Number, nullable: true }) economicQuantity: number | null;
}

export class MismatchListDto {
  @ApiProperty({ type: [MismatchDto] }) items: MismatchDto[];
  @ApiProperty() total: number;
}

export class InventoryStatusDto {
  @ApiProperty() stockSync: boolean;
  @ApiProperty({ enum: ['off', 'ok', 'not-connected', 'no-inventory-module', 'error'] }) status: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastReconciledAt: string | null;
  @ApiProperty() skusTracked: number;
}

export class ReconcileResultDto {
  @ApiProperty({ enum: ['done', 'busy', 'skipped', 'no-inventory-module', 'failed'] }) outcome: string;
  @ApiProperty() message: string;
  @ApiProperty({ required: false, description: 'SKUs whose stock.changed went out' }) changes?: number;
  @ApiProperty({ required: false }) productsRead?: number;
}

export class DeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty() sku: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty() total: number;
}
