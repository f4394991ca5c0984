import 'reflect-metadata';
import { loadEnv, runService } from '@bogholder/service-kit';
import { AppModule } from './app.module';
import { InventoryEnv } from './config/env';

void runService(() => {
  const env = loadEnv(InventoryEnv);
  return { name: 'inventory', module: AppModule.forRoot(env), host: env.HOST, port: env.INVENTORY_PORT };
});
