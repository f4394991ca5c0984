import { createSandbox } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.ECONOMIC_SANDBOX_PORT || 3900);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`ECONOMIC_SANDBOX_PORT is not a valid port: ${process.env.ECONOMIC_SANDBOX_PORT}`);
  const sandbox = await createSandbox({
    port,
    host: process.env.ECONOMIC_SANDBOX_HOST || '127.0.0.1',
    appSecretToken: process.env.ECONOMIC_APP_SECRET_TOKEN || undefined,
    appPublicToken: process.env.ECONOMIC_APP_PUBLIC_TOKEN || undefined,
    publicUrl: process.env.ECONOMIC_SANDBOX_PUBLIC_URL || undefined,
  });
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'economic-sandbox listening', url: sandbox.url })}\n`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'economic-sandbox failed to start', error: String(err) })}\n`);
  process.exit(1);
});
