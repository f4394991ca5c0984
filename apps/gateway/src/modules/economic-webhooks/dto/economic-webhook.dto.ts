import { ApiProperty } from '@nestjs/swagger';

export class EconomicWebhookUrlsDto {
  @ApiProperty({ example: 'https://bogholder.example.com/webhooks/economic/<shop>/<secret>/product?number=[NEWNUMBER]&old=[OLDNUMBER]', description: 'Paste into e-conomic: Settings → Extensions → Webhooks, type "Product updated"' })
  product: string;
  @ApiProperty({ example: 'https://bogholder.example.com/webhooks/economic/<shop>/<secret>/invoice?number=[INVOICENO]', description: 'Paste into e-conomic: Settings → Extensions → Webhooks, type "Invoice booked"' })
  invoice: string;
}

export class EconomicWebhookQueuedDto {
  @ApiProperty({ description: 'Id of the queued economic.webhook.received event' }) id: string;
}
