import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TransfersListReply, TransfersRetryManyReply, TransferView } from '@bogholder/contracts';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { TransferDto, TransferListDto, TransfersQueryDto, TransfersRetryManyDto, TransfersRetryManyQueryDto } from './dto/transfers.dto';
import { TransfersService } from './transfers.service';

@ApiTags('transfers')
@ApiBearerAuth()
@ApiErrors(401, 404, 503)
@Controller('api/shops/:shopId')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Get('transfers')
  @ApiOperation({ summary: 'The transfer log: one row per order, newest first', description: '`failed` retries by itself; `parked` needs a person (the message says what to fix).' })
  @ApiOkResponse({ type: TransferListDto })
  @ApiErrors(400)
  list(@Param('shopId') shopId: string, @Query() query: TransfersQueryDto): Promise<TransfersListReply> {
    return this.transfers.list(shopId, query);
  }

  @Post('transfers/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry every parked or failed transfer now (optionally only one status or one error code)',
    description: 'After fixing a common cause — a product created, an accounting year opened — retry all it parked: `?code=products_missing`. Oldest first; when `more` is true, send the request again.',
  })
  @ApiOkResponse({ type: TransfersRetryManyDto })
  @ApiErrors(400)
  retryMany(@Param('shopId') shopId: string, @Query() query: TransfersRetryManyQueryDto): Promise<TransfersRetryManyReply> {
    return this.transfers.retryMany(shopId, query);
  }

  @Post('transfers/:orderId/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry a failed or parked transfer now' })
  @ApiOkResponse({ type: TransferDto })
  @ApiErrors(422)
  retry(@Param('shopId') shopId: string, @Param('orderId') orderId: string): Promise<TransferView> {
    return this.transfers.retry(shopId, orderId);
  }

  @Get('orders/:orderId/invoice-preview')
  @ApiOperation({ summary: 'The exact body that would be POSTed to e-conomic\'s /invoices/drafts, from current settings; creates nothing' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  @ApiErrors(422)
  preview(@Param('shopId') shopId: string, @Param('orderId') orderId: string): Promise<Record<string, unknown>> {
    return this.transfers.preview(shopId, orderId);
  }
}
