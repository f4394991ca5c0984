import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DeliveriesListReply, DeliveryView, InventoryMismatchesReply, InventoryStatusReply, ReconcileReply } from '@bogholder/contracts';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { DeliveriesQueryDto, DeliveryDto, DeliveryListDto, InventoryStatusDto, MismatchListDto, ReconcileResultDto } from './dto/inventory.dto';
import { InventoryService } from './inventory.service';

@ApiTags('inventory')
@ApiBearerAuth()
@ApiErrors(401, 404, 503)
@Controller('api/shops/:shopId/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get('mismatches')
  @ApiOperation({ summary: 'SKUs whose stock differs between the shop and e-conomic, or that e-conomic lacks' })
  @ApiOkResponse({ type: MismatchListDto })
  mismatches(@Param('shopId') shopId: string): Promise<InventoryMismatchesReply> {
    return this.inventory.mismatches(shopId);
  }

  @Get()
  @ApiOperation({ summary: 'Stock-sync status (extension to the contract)' })
  @ApiOkResponse({ type: InventoryStatusDto })
  status(@Param('shopId') shopId: string): Promise<InventoryStatusReply> {
    return this.inventory.status(shopId);
  }

  @Post('reconcile')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read the shop\'s stock from e-conomic now and send what moved (extension to the contract)' })
  @ApiOkResponse({ type: ReconcileResultDto })
  reconcile(@Param('shopId') shopId: string): Promise<ReconcileReply> {
    return this.inventory.reconcile(shopId);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'stock.changed deliveries to the shop\'s callbackUrl, newest first (extension to the contract)' })
  @ApiOkResponse({ type: DeliveryListDto })
  @ApiErrors(400)
  deliveries(@Param('shopId') shopId: string, @Query() query: DeliveriesQueryDto): Promise<DeliveriesListReply> {
    return this.inventory.deliveries(shopId, query);
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a stock.changed delivery again (extension to the contract)' })
  @ApiOkResponse({ type: DeliveryDto })
  @ApiErrors(422)
  redeliver(@Param('shopId') shopId: string, @Param('deliveryId') deliveryId: string): Promise<DeliveryView> {
    return this.inventory.redeliver(shopId, deliveryId);
  }
}
