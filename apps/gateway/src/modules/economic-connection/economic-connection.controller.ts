import { Body, Controller, Delete, Get, Headers, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ConnectionStatusDto, ConnectUrlDto, GrantTokenDto } from './dto/connection.dto';
import { EconomicConnectionService } from './economic-connection.service';

@ApiTags('e-conomic connection')
@ApiBearerAuth()
@ApiErrors(401, 404)
@Controller('api/shops/:shopId/economic')
export class EconomicConnectionController {
  constructor(private readonly connections: EconomicConnectionService) {}

  @Get('connect')
  @ApiOperation({
    summary: 'Start connecting: redirect to e-conomic\'s grant page',
    description: '302 to ECONOMIC_GRANT_URL with a signed, single-use `state` valid for 10 minutes. With `Accept: application/json` it answers 200 `{url}` instead, so an admin UI can send a person\'s browser there.',
  })
  @ApiFoundResponse({ description: 'Redirect to the grant page' })
  @ApiOkResponse({ type: ConnectUrlDto, description: 'With Accept: application/json' })
  @ApiProduces('application/json')
  async connect(@Param('shopId') shopId: string, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const url = await this.connections.connectUrl(shopId);
    if (/application\/json/i.test(accept ?? '')) res.status(200).json({ url } satisfies ConnectUrlDto);
    else res.redirect(302, url);
  }

  @Get()
  @ApiOperation({ summary: 'Connection status', description: 'When connected, the grant is re-checked with e-conomic at most every 30 s; a revoked grant turns the status into `error` with a message.' })
  @ApiOkResponse({ type: ConnectionStatusDto })
  status(@Param('shopId') shopId: string): Promise<ConnectionStatusDto> {
    return this.connections.status(shopId);
  }

  @Put()
  @ApiOperation({ summary: 'Connect with a grant token the admin already has', description: 'Verified with e-conomic GET /self; 422 if e-conomic rejects it.' })
  @ApiOkResponse({ type: ConnectionStatusDto })
  @ApiErrors(400, 422, 503)
  connectWithToken(@Param('shopId') shopId: string, @Body() dto: GrantTokenDto): Promise<ConnectionStatusDto> {
    return this.connections.connectWithToken(shopId, dto.grantToken);
  }

  @Delete()
  @ApiOperation({ summary: 'Disconnect: forget the grant token', description: 'Orders arriving afterwards wait for a new connection.' })
  @ApiOkResponse({ type: ConnectionStatusDto })
  disconnect(@Param('shopId') shopId: string): Promise<ConnectionStatusDto> {
    return this.connections.disconnect(shopId);
  }
}
