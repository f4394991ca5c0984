import { IsInt, Max, Min } from 'class-validator';
import { BaseEnv } from '@bogholder/service-kit';

export class CustomersEnv extends BaseEnv {
  @IsInt() @Min(1) @Max(65535) CUSTOMERS_PORT = 3002;
}
