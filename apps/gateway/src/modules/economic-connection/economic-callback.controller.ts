import { Controller, Get, Headers, HttpException, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { connectedPage, connectFailedPage } from './callback-pages';
import { EconomicConnectionService } from './economic-connection.service';

const single = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const wantsJson = (accept: string | undefined) => /application\/json/i.test(accept ?? '') && !/text\/html/i.test(accept ?? '');

@ApiTags('e-conomic connection')
@Public()
@Controller('api/economic')
export class EconomicCallbackController {
  constructor(private readonly connections: EconomicConnectionService) {}

  @Get('callback')
  @ApiOperation({
    summary: 'Where e-conomic\'s grant page sends the person back (no bearer)',
    description: 'Checks the state (signed, unused, not expired), verifies the token with GET /self and stores it encrypted. Answers a small HTML page (JSON with `Accept: application/json`).',
  })
  @ApiQuery({ name: 'state', required: true })
  @ApiQuery({ name: 'token', required: true, description: 'The agreement grant token e-conomic adds' })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ description: 'A page saying the shop is connected' })
  @ApiErrors(400, 422, 503)
  async callback(@Query('state') state: unknown, @Query('token') token: unknown, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    try {
      const result = await this.connections.completeGrant(single(state), single(token));
      if (wantsJson(accept)) res.status(200).json({ shopId: result.shopId, ...result.connection });
      else res.status(200).type('html').send(connectedPage(result.shopName, result.connection));
    } catch (err) {
      if (wantsJson(accept) || !(err instanceof HttpException)) throw err;
      res.status(err.getStatus()).type('html').send(connectFailedPage(err.getStatus(), err.message));
    }
  }
}
