export { AppModule } from './app.module';
export { InventoryEnv } from './config/env';
