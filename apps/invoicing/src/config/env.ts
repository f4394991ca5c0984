import { IsInt, Max, Min } from 'class-validator';
import { BaseEnv } from '@bogholder/service-kit';

export class InvoicingEnv extends BaseEnv {
  @IsInt() @Min(1) @Max(65535) INVOICING_PORT = 3001;
}
