/**
 * The benchmark's baseline: a bare node:http server that does what the gateway's webhook route must
 * do at the least — check the Standard Webhooks signature with the same library and publish the
 * event to JetStream through the same Bus (waiting for the PubAck) — and nothing else: no
 * framework, no database, no body validation, no logs.
 *
 * Environment: PORT, NATS_URL, NATS_NAMESPACE, SHOP_ID, WEBHOOK_SECRET.
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { Bus } from '@bogholder/messaging';
import { Subject } from '@bogholder/contracts';

async function main(): Promise<void> {
  const bus = await Bus.connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'bench-baseline', namespace: process.env.NATS_NAMESPACE ?? '' });
  await bus.ensureStreams();
  const shopId = process.env.SHOP_ID!;
  const webhook = new Webhook(process.env.WEBHOOK_SECRET!);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      chunks.push(c);
    });
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (size > 1024 * 1024) return answer(413, { message: 'too large' });
      const raw = Buffer.concat(chunks);
      let body: { type: string; timestamp: string; data: unknown };
      try {
        body = webhook.verify(raw, req.headers as Record<string, string>) as typeof body;
      } catch {
        return answer(401, { message: 'bad signature' });
      }
      const id = String(req.headers['webhook-id']);
      bus
        .publish({ id, type: `shop.${body.type}` as Subject, shopId, occurredAt: body.timestamp, correlationId: id, data: body.data })
        .then((ack) => answer(ack.duplicate ? 200 : 202, { id }), () => answer(503, { message: 'publish failed' }));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`));
  const stop = () => server.close(() => void bus.close().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
