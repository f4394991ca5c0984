import { IsDefined, IsIn, IsObject } from 'class-validator';
import { SHOP_WEBHOOK_TYPES, ShopWebhookType } from '../subjects';
import { IsTimestamp } from '../validators';

/** The body a shop POSTs to `/webhooks/shops/:shopId` (CONTRACT.md §3); `data` is checked per type. */
export class ShopWebhookBody {
  @IsIn(SHOP_WEBHOOK_TYPES as unknown as string[], { message: `type must be one of ${SHOP_WEBHOOK_TYPES.join(', ')}` })
  type: ShopWebhookType;
  @IsTimestamp() timestamp: string;
  @IsDefined() @IsObject() data: Record<string, unknown>;
}
