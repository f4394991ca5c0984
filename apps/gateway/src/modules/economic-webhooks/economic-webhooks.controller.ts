import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { EconomicWebhookQueuedDto, EconomicWebhookUrlsDto } from './dto/economic-webhook.dto';
import { EconomicWebhooksService } from './economic-webhooks.service';

const RECEIVE = {
  summary: 'A webhook call from e-conomic (GET or POST)',
  description: 'The secret path segment identifies the shop; the call is queued (`economic.webhook.received`) and answered 202 at once. Wrong shop or secret: 404.',
};

@ApiTags('webhooks')
@Controller('webhooks/economic/:shopId/:secret/:kind')
export class EconomicWebhooksController {
  constructor(private readonly webhooks: EconomicWebhooksService) {}

  @Get()
  @HttpCode(202)
  @ApiOperation(RECEIVE)
  @ApiQuery({ name: 'number', required: true, description: 'product: [NEWNUMBER]; invoice: [INVOICENO]' })
  @ApiQuery({ name: 'old', required: false, description: 'product: [OLDNUMBER]' })
  @ApiAcceptedResponse({ type: EconomicWebhookQueuedDto })
  @ApiErrors(400, 404, 503)
  viaGet(@Param('shopId') shopId: string, @Param('secret') secret: string, @Param('kind') kind: string, @Query() query: Record<string, unknown>): Promise<EconomicWebhookQueuedDto> {
    return this.webhooks.receive(shopId, secret, kind, query);
  }

  @Post()
  @HttpCode(202)
  @ApiOperation(RECEIVE)
  @ApiQuery({ name: 'number', required: true })
  @ApiQuery({ name: 'old', required: false })
  @ApiAcceptedResponse({ type: EconomicWebhookQueuedDto })
  @ApiErrors(400, 404, 503)
  viaPost(@Param('shopId') shopId: string, @Param('secret') secret: string, @Param('kind') kind: string, @Query() query: Record<string, unknown>): Promise<EconomicWebhookQueuedDto> {
    return this.webhooks.receive(shopId, secret, kind, query);
  }
}

@ApiTags('e-conomic connection')
@ApiBearerAuth()
@Controller('api/shops/:shopId/economic/webhook-urls')
export class EconomicWebhookUrlsController {
  constructor(private readonly webhooks: EconomicWebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'The URL templates to paste into e-conomic\'s webhook settings (they contain the shop\'s secret path)' })
  @ApiOkResponse({ type: EconomicWebhookUrlsDto })
  @ApiErrors(401, 404)
  urls(@Param('shopId') shopId: string): Promise<EconomicWebhookUrlsDto> {
    return this.webhooks.urls(shopId);
  }
}
