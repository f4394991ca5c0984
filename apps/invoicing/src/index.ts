export { AppModule } from './app.module';
export { InvoicingEnv } from './config/env';
