import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SHOP_WEBHOOK_TYPES } from '@bogholder/contracts';

/** OpenAPI description of a shop webhook (validation uses the contracts' classes). */
export class ShopWebhookBodyDto {
  @ApiProperty({ enum: SHOP_WEBHOOK_TYPES }) type: string;
  @ApiProperty({ example: '2026-12-01T10:15:00Z', description: 'When it happened in the shop (ISO 8601 with time zone)' }) timestamp: string;
  @ApiProperty({
    type: 'object', additionalProperties: true,
    description: 'order.paid `{order, payment}`, order.shipped `{order, shippedAt}`, order.updated `{order}`, order.refunded `{orderId, refundId, lines, refundedAt}`, stock.snapshot `{items: [{sku, quantity}]}`',
  })
  data: Record<string, unknown>;
}

export class WebhookAcceptedDto {
  @ApiProperty({ description: 'The webhook-id' }) id: string;
  @ApiPropertyOptional({ example: true, description: 'Present (true) when this id was accepted before' }) duplicate?: true;
}
