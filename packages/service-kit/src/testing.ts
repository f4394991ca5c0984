import { DynamicModule, INestApplication } from '@nestjs/common';
import { createServiceApp, StartOptions } from './bootstrap';

/** Boots a service in-process on a random port, the way `main.ts` does (for integration tests). */
export async function startTestService(module: DynamicModule, configure?: StartOptions['configure']): Promise<{ app: INestApplication; url: string }> {
  const app = await createServiceApp(module, { configure });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}
