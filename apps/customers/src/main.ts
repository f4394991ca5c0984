import 'reflect-metadata';
import { loadEnv, runService } from '@bogholder/service-kit';
import { AppModule } from './app.module';
import { CustomersEnv } from './config/env';

void runService(() => {
  const env = loadEnv(CustomersEnv);
  return { name: 'customers', module: AppModule.forRoot(env), host: env.HOST, port: env.CUSTOMERS_PORT };
});
