/**
 * `npm run backfill -- --shop <id> --file orders.ndjson [--secret whsec_…] [--concurrency 8]`
 *
 * Sends historical shop events through the gateway, signed like the shop would sign them. Each line
 * is a webhook body `{type, timestamp?, data}` (or `{type, data, id}`); the webhook id is derived from
 * the file and the line, so an interrupted run can be resumed (progress in `<file>.progress.json`) and
 * lines sent twice are answered as duplicates. Ends with a summary; rejected lines go to
 * `<file>.rejected.ndjson` with the gateway's reasons.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { GatewayClient } from './gateway-client';

interface Options {
  shop: string;
  file: string;
  secret?: string;
  gateway: string;
  adminToken: string;
  concurrency: number;
  restart: boolean;
}

interface Progress {
  file: string;
  /** Every line before this index is done (accepted, duplicate or rejected). */
  nextLine: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  reasons: Record<string, number>;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const shop = get('shop');
  const file = get('file');
  const problems: string[] = [];
  if (!shop) problems.push('--shop <shop id> is required');
  if (!file) problems.push('--file <orders.ndjson> is required');
  const concurrency = Number(get('concurrency') ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) problems.push('--concurrency must be an integer from 1 to 64');
  if (problems.length) throw new Error(`${problems.join('\n')}\n\nusage: npm run backfill -- --shop <id> --file orders.ndjson [--secret whsec_…] [--gateway URL] [--concurrency 8] [--restart]`);
  const cwd = env.INIT_CWD ?? process.cwd();
  return {
    shop: shop!,
    file: isAbsolute(file!) ? file! : resolve(cwd, file!),
    secret: get('secret') ?? env.BOGHOLDER_WEBHOOK_SECRET,
    gateway: get('gateway') ?? env.GATEWAY_URL ?? 'http://127.0.0.1:3000',
    adminToken: get('admin-token') ?? env.ADMIN_TOKEN ?? 'dev-admin-token',
    concurrency,
    restart: argv.includes('--restart'),
  };
}

function bar(done: number, total: number, started: number, startLine: number): string {
  const width = 30;
  const ratio = total ? done / total : 1;
  const rate = (done - startLine) / Math.max((Date.now() - started) / 1000, 0.001);
  const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
  return `[${'#'.repeat(Math.round(ratio * width)).padEnd(width)}] ${done}/${total} ${(ratio * 100).toFixed(1)}% ${rate.toFixed(0)}/s eta ${eta}s`;
}

export async function backfill(options: Options, out: (s: string) => void = (s) => process.stderr.write(s), signal?: AbortSignal): Promise<Progress & { interrupted: boolean }> {
  if (!existsSync(options.file)) throw new Error(`${options.file} does not exist`);
  const gw = new GatewayClient(options.gateway, options.adminToken);
  let secret = options.secret;
  if (!secret) {
    const shop = await gw.api<{ webhookSecret?: string }>('GET', `/api/shops/${encodeURIComponent(options.shop)}`);
    if (shop.status === 404) throw new Error(`shop ${options.shop} does not exist in the gateway at ${options.gateway}`);
    secret = shop.body.webhookSecret;
    if (!secret) throw new Error('the shop\'s webhook secret is needed to sign the events: pass --secret whsec_… (it was shown when the shop was created)');
  }
  const lines = readFileSync(options.file, 'utf8').split('\n');
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const progressFile = `${options.file}.progress.json`;
  const rejectedFile = `${options.file}.rejected.ndjson`;
  const fileKey = createHash('sha256').update(basename(options.file)).update(options.shop).digest('hex').slice(0, 12);
  let progress: Progress = { file: options.file, nextLine: 0, accepted: 0, duplicates: 0, rejected: 0, reasons: {} };
  if (!options.restart && existsSync(progressFile)) {
    progress = JSON.parse(readFileSync(progressFile, 'utf8')) as Progress;
    if (progress.nextLine > 0) out(`resuming at line ${progress.nextLine + 1} of ${lines.length}\n`);
  }
  const startLine = progress.nextLine;
  const started = Date.now();
  const finished = new Set<number>();
  let next = progress.nextLine;
  // atomic: a crash mid-write never leaves a half-written progress file behind
  const save = () => {
    writeFileSync(`${progressFile}.tmp`, JSON.stringify(progress, null, 2));
    renameSync(`${progressFile}.tmp`, progressFile);
  };
  const reject = (line: number, reason: string, raw: string) => {
    progress.rejected++;
    progress.reasons[reason] = (progress.reasons[reason] ?? 0) + 1;
    appendFileSync(rejectedFile, `${JSON.stringify({ line: line + 1, reason, body: raw.slice(0, 2000) })}\n`);
  };
  const sendLine = async (index: number) => {
    const raw = lines[index]!;
    if (!raw.trim()) return;
    let parsed: { type?: string; timestamp?: string; data?: unknown; id?: string };
    try {
      parsed = JSON.parse(raw);
    } catch {
      return reject(index, 'not JSON', raw);
    }
    const id = parsed.id ?? `backfill_${fileKey}_${index + 1}_${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
    for (let attempt = 1; ; attempt++) {
      const res = await gw.sendWebhook(options.shop, secret!, String(parsed.type), parsed.data, { id }).catch((err: Error) => ({ status: 0, body: { message: err.message } }));
      if (res.status === 202) return void progress.accepted++;
      if (res.status === 200 && res.body?.duplicate) return void progress.duplicates++;
      if ((res.status === 0 || res.status === 429 || res.status >= 500) && attempt < 8) {
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 10_000)));
        continue;
      }
      const b = res.body as { message?: string; errors?: { field: string; message: string }[] };
      const reason = b?.errors?.length ? b.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : `${res.status} ${b?.message ?? ''}`.trim();
      return reject(index, reason, raw);
    }
  };
  const worker = async () => {
    while (next < lines.length && !signal?.aborted) {
      const index = next++;
      await sendLine(index);
      finished.add(index);
      while (finished.has(progress.nextLine)) finished.delete(progress.nextLine++);
    }
  };
  const ticker = setInterval(() => {
    out(`\r${bar(progress.nextLine, lines.length, started, startLine)}`);
    save();
  }, 250);
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(ticker);
    save();
  }
  out(`\r${bar(progress.nextLine, lines.length, started, startLine)}\n`);
  return { ...progress, interrupted: Boolean(signal?.aborted) && progress.nextLine < lines.length };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: finishing the lines in flight and saving progress (Ctrl-C again to quit at once)\n');
    stop.abort();
  });
  const p = await backfill(options, undefined, stop.signal);
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say('');
  if (p.interrupted) say(`stopped at line ${p.nextLine + 1}: run the same command again to resume`);
  say(`accepted    ${p.accepted}`);
  say(`duplicates  ${p.duplicates}   (already accepted earlier: nothing sent twice)`);
  say(`rejected    ${p.rejected}${p.rejected ? `   (details in ${options.file}.rejected.ndjson)` : ''}`);
  for (const [reason, count] of Object.entries(p.reasons).sort((a, b) => b[1] - a[1]).slice(0, 20)) say(`  ${String(count).padStart(6)} × ${reason}`);
  if (p.interrupted) process.exit(130);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`\nbackfill failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
