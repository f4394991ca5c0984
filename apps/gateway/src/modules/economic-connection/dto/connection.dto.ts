import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class ConnectionStatusDto {
  @ApiProperty({ enum: ['connected', 'disconnected', 'error'], description: '`error`: e-conomic refused the grant (revoked); orders wait until the shop is connected again' })
  status: 'connected' | 'disconnected' | 'error';
  @ApiProperty({ type: Number, nullable: true, example: 1000001 }) agreementNumber: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'Sandbox ApS' }) companyName: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) connectedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the grant was last checked with GET /self (at most every 30 s)' }) lastCheckedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What went wrong and what to do about it' }) lastError: string | null;
}

export class ConnectUrlDto {
  @ApiProperty({ example: 'https://secure.e-conomic.com/secure/api1/requestaccess.aspx?appPublicToken=…&redirectUrl=…' }) url: string;
}

export class GrantTokenDto {
  @ApiProperty({ description: 'An agreement grant token for this app, e.g. from e-conomic\'s installation URL' })
  @IsString() @Length(1, 500) @Matches(/^\S+$/, { message: 'grantToken must not contain spaces' })
  grantToken: string;
}
