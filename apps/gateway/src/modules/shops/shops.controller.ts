import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ErrorBodyDto } from '../../common/error-body.dto';
import { PageQueryDto } from '../../common/paging';
import { CreateShopDto, ShopListDto, ShopWithSecretDto, UpdateShopDto } from './dto/shop.dto';
import { ShopsService } from './shops.service';

@ApiTags('shops')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/shops')
export class ShopsController {
  constructor(private readonly shops: ShopsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a shop', description: 'Answers the shop with its Standard Webhooks secret (`whsec_…`); default settings are published to the services.' })
  @ApiCreatedResponse({ type: ShopWithSecretDto })
  @ApiErrors(400)
  create(@Body() dto: CreateShopDto): Promise<ShopWithSecretDto> {
    return this.shops.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List shops, newest first' })
  @ApiOkResponse({ type: ShopListDto })
  @ApiErrors(400)
  list(@Query() page: PageQueryDto): Promise<ShopListDto> {
    return this.shops.list(page.limit, page.offset);
  }

  @Get(':shopId')
  @ApiOperation({ summary: 'One shop, with its webhook secret and connection summary (never the grant token)' })
  @ApiOkResponse({ type: ShopWithSecretDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  get(@Param('shopId') shopId: string): Promise<ShopWithSecretDto> {
    return this.shops.get(shopId);
  }

  @Post(':shopId/webhook-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the shop\'s webhook secret (extension to the contract)',
    description: 'Answers the shop with its new secret, valid at once (on every replica within 30 s); the old one stops working. Have the shop sign with both secrets during the switch.',
  })
  @ApiOkResponse({ type: ShopWithSecretDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  rotateSecret(@Param('shopId') shopId: string): Promise<ShopWithSecretDto> {
    return this.shops.rotateWebhookSecret(shopId);
  }

  @Patch(':shopId')
  @ApiOperation({ summary: 'Rename a shop or change its callback URL (extension to the contract)' })
  @ApiOkResponse({ type: ShopWithSecretDto })
  @ApiErrors(400, 404)
  update(@Param('shopId') shopId: string, @Body() dto: UpdateShopDto): Promise<ShopWithSecretDto> {
    return this.shops.update(shopId, dto);
  }
}
