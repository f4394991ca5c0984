import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { BodyTooLargeError } from './body-reader';
import { ShopWebhookBodyDto, WebhookAcceptedDto } from './dto/shop-webhook.dto';
import { ShopWebhooksService } from './shop-webhooks.service';

@ApiTags('webhooks')
@Controller('webhooks/shops')
export class ShopWebhooksController {
  constructor(private readonly webhooks: ShopWebhooksService) {}

  @Post(':shopId')
  @HttpCode(202)
  @ApiOperation({
    summary: 'A signed webhook from a shop (Standard Webhooks)',
    description: 'Answers 202 only once JetStream has stored the event (`shop.<type>`, Nats-Msg-Id = webhook-id); 200 `{id, duplicate: true}` for an id accepted before. Nothing is published for any other answer.',
  })
  @ApiHeader({ name: 'webhook-id', required: true, description: 'Unique per webhook; repeats of an accepted id answer 200 duplicate' })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Unix seconds; at most 5 minutes from the gateway\'s clock' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>" keyed by the shop\'s secret>' })
  @ApiBody({ type: ShopWebhookBodyDto })
  @ApiAcceptedResponse({ type: WebhookAcceptedDto, description: 'Stored in JetStream' })
  @ApiOkResponse({ type: WebhookAcceptedDto, description: 'Accepted before (duplicate)' })
  @ApiErrors(400, 401, 404, 413, 503)
  async receive(@Param('shopId') shopId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<WebhookAcceptedDto> {
    try {
      const answer = await this.webhooks.receive(shopId, req);
      res.status(answer.status);
      return answer.body;
    } catch (err) {
      // The rest of an oversized body is not read: close the connection after answering.
      if (err instanceof BodyTooLargeError) res.setHeader('Connection', 'close');
      throw err;
    }
  }
}
