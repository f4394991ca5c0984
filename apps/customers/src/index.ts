export { AppModule } from './app.module';
export { CustomersEnv } from './config/env';
