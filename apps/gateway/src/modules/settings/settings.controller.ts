import { Body, Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Settings } from '@bogholder/contracts';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { SettingsDto, SettingsPatchDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

const CHECKS = 'Every field is validated (400 names each bad one). When the shop is connected, every number the settings use is checked in e-conomic; 422 names each missing one and how to fix it.';

@ApiTags('settings')
@ApiBearerAuth()
@ApiErrors(401, 404)
@Controller('api/shops/:shopId/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: 'The shop\'s settings (unset values are null)' })
  @ApiOkResponse({ type: SettingsDto })
  get(@Param('shopId') shopId: string): Promise<Settings> {
    return this.settings.get(shopId);
  }

  @Put()
  @ApiOperation({ summary: 'Replace the settings; fields left out get their defaults', description: CHECKS })
  @ApiBody({ type: SettingsPatchDto })
  @ApiOkResponse({ type: SettingsDto })
  @ApiErrors(400, 422, 503)
  replace(@Param('shopId') shopId: string, @Body() body: Record<string, unknown>): Promise<Settings> {
    return this.settings.replace(shopId, body);
  }

  @Patch()
  @ApiOperation({ summary: 'Change only the fields given (vatZones may be partial)', description: CHECKS })
  @ApiBody({ type: SettingsPatchDto })
  @ApiOkResponse({ type: SettingsDto })
  @ApiErrors(400, 422, 503)
  update(@Param('shopId') shopId: string, @Body() body: Record<string, unknown>): Promise<Settings> {
    return this.settings.update(shopId, body);
  }
}
