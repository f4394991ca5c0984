import { IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { BaseEnv, DEV_DEFAULTS } from '@bogholder/service-kit';

const urlOptions = { require_tld: false, require_protocol: true };

export class GatewayEnv extends BaseEnv {
  @IsInt() @Min(1) @Max(65535) GATEWAY_PORT = 3000;
  /** Bearer token for every /api route. */
  @Matches(/^\S{8,}$/, { message: 'ADMIN_TOKEN must be at least 8 characters without spaces' }) ADMIN_TOKEN: string = DEV_DEFAULTS.ADMIN_TOKEN;
  /** The gateway's own public base URL (redirect and webhook URLs are built from it). */
  @IsUrl(urlOptions, { message: 'PUBLIC_URL must be the gateway\'s public base URL, e.g. https://bogholder.example.com' }) PUBLIC_URL = 'http://127.0.0.1:3000';
  @IsUrl(urlOptions, { message: 'ECONOMIC_GRANT_URL must be e-conomic\'s requestaccess page URL' }) ECONOMIC_GRANT_URL = 'http://127.0.0.1:3900/requestaccess.aspx';
  @IsString() @Matches(/^\S{6,}$/, { message: 'ECONOMIC_APP_PUBLIC_TOKEN must be the app public token from your e-conomic developer agreement' })
  ECONOMIC_APP_PUBLIC_TOKEN: string = DEV_DEFAULTS.ECONOMIC_APP_PUBLIC_TOKEN;
  /** Allowed clock difference for signed webhooks. */
  @IsInt() @Min(1) @Max(3600) WEBHOOK_TOLERANCE_SECONDS = 300;
  /** Worker threads that parse and validate shop webhook bodies beside the HTTP thread (0: on the HTTP thread). */
  @IsInt() @Min(0) @Max(16) WEBHOOK_VALIDATION_THREADS = 1;
}
