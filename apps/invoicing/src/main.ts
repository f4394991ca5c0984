import 'reflect-metadata';
import { loadEnv, runService } from '@bogholder/service-kit';
import { AppModule } from './app.module';
import { InvoicingEnv } from './config/env';

void runService(() => {
  const env = loadEnv(InvoicingEnv);
  return { name: 'invoicing', module: AppModule.forRoot(env), host: env.HOST, port: env.INVOICING_PORT };
});
