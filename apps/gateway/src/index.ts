export { AppModule } from './app.module';
export { GatewayEnv } from './config/env';
export { configureGateway } from './setup';
