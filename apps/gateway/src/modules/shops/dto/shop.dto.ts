import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';

const callbackUrlRule = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };
const CALLBACK_URL_MESSAGE = 'callbackUrl must be an absolute http(s) URL, e.g. https://shop.example.com/bogholder/events';

export class CreateShopDto {
  @ApiProperty({ example: 'Kaffe & Kage ApS', minLength: 1, maxLength: 200 })
  @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiPropertyOptional({ example: 'https://shop.example.com/bogholder/events', nullable: true, description: 'Where events for the shop (stock.changed) are POSTed, signed with the shop\'s webhook secret' })
  @IsOptional() @IsString() @MaxLength(2000) @IsUrl(callbackUrlRule, { message: CALLBACK_URL_MESSAGE })
  callbackUrl?: string | null;
}

export class UpdateShopDto {
  @ApiPropertyOptional({ example: 'Kaffe & Kage ApS', minLength: 1, maxLength: 200 })
  @IsOptional() @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ example: 'https://shop.example.com/bogholder/events', nullable: true })
  @IsOptional() @IsString() @MaxLength(2000) @IsUrl(callbackUrlRule, { message: CALLBACK_URL_MESSAGE })
  callbackUrl?: string | null;
}

export class ShopConnectionSummaryDto {
  @ApiProperty({ enum: ['connected', 'disconnected', 'error'] }) status: 'connected' | 'disconnected' | 'error';
  @ApiProperty({ type: Number, nullable: true, example: 1000001 }) agreementNumber: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'Sandbox ApS' }) companyName: string | null;
}

export class ShopDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) callbackUrl: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: ShopConnectionSummaryDto }) economic: ShopConnectionSummaryDto;
}

/** One shop as the admin sees it, including the secret its webhooks are signed with. */
export class ShopWithSecretDto extends ShopDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Standard Webhooks secret: sign webhooks to /webhooks/shops/:id with it' })
  webhookSecret: string;
}

export class ShopListDto {
  @ApiProperty({ type: [ShopDto] }) items: ShopDto[];
  @ApiProperty() total: number;
}
