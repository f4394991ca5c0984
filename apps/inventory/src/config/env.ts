import { IsInt, Max, Min } from 'class-validator';
import { BaseEnv } from '@bogholder/service-kit';

export class InventoryEnv extends BaseEnv {
  @IsInt() @Min(1) @Max(65535) INVENTORY_PORT = 3003;
}
