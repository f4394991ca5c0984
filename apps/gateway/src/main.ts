import 'reflect-metadata';
import { loadEnv, runService } from '@bogholder/service-kit';
import { AppModule } from './app.module';
import { GatewayEnv } from './config/env';
import { configureGateway } from './setup';

void runService(() => {
  const env = loadEnv(GatewayEnv);
  return { name: 'gateway', module: AppModule.forRoot(env), host: env.HOST, port: env.GATEWAY_PORT, configure: configureGateway };
});
