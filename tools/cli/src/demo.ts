/**
 * `npm run demo` (with `npm start` running): creates a shop, connects it through the sandbox's grant
 * page, prepares the sandbox agreement (customer group 1337, products), applies settings, sends a
 * handful of signed orders and shows what happened.
 */
import { approveGrant, GatewayClient } from './gateway-client';
import { table } from './table';

const GATEWAY = process.env.GATEWAY_URL ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:3900';
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'dev-admin-token';
const APP_SECRET = process.env.ECONOMIC_APP_SECRET_TOKEN ?? 'sandbox-app-secret';

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sandbox(method: string, path: string, grantToken: string, body?: unknown) {
  const res = await fetch(`${SANDBOX}${path}`, {
    method,
    headers: { 'X-AppSecretToken': APP_SECRET, 'X-AgreementGrantToken': grantToken, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok && res.status !== 400) throw new Error(`sandbox ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function reachable(url: string, what: string): Promise<void> {
  const ok = await fetch(url).then((r) => r.ok, () => false);
  if (!ok) throw new Error(`${what} does not answer at ${url}. Start the system first with \`npm start\` (in another terminal).`);
}

const today = new Date().toISOString().slice(0, 10);
const nextMonth = (() => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
})();

function order(n: number, customer: Record<string, unknown>, lines: Record<string, unknown>[], shipping?: Record<string, unknown>) {
  return { orderId: `DEMO-${n}`, orderNumber: n, currency: 'DKK', date: today, customer, lines, ...(shipping ? { shipping } : {}) };
}

async function main(): Promise<void> {
  await reachable(`${GATEWAY}/health`, 'The gateway');
  await reachable(`${SANDBOX}/__sandbox/health`, 'The e-conomic sandbox');
  const gw = new GatewayClient(GATEWAY, ADMIN_TOKEN);
  const run = Date.now().toString(36).slice(-4).toUpperCase();

  say('1. A fresh e-conomic agreement in the sandbox, prepared like a bookkeeper would:');
  const agreement = (await fetch(`${SANDBOX}/__sandbox/agreements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyName: `Demo Webshop ${run} ApS` }),
  }).then((r) => r.json())) as { agreementNumber: number; grantToken: string };
  await sandbox('POST', '/customer-groups', agreement.grantToken, { customerGroupNumber: 1337, name: 'Webshop customers', account: { accountNumber: 5600 } });
  const products = [
    { productNumber: 'MUG-BLUE', name: 'Blue mug', productGroup: { productGroupNumber: 1 }, salesPrice: 80 },
    { productNumber: 'TEA-1KG', name: 'Tea, 1 kg', productGroup: { productGroupNumber: 1 }, salesPrice: 240 },
    { productNumber: 'SUB-YEAR', name: 'Tea club, one year', productGroup: { productGroupNumber: 1 }, salesPrice: 1200 },
    { productNumber: 'FRAGT', name: 'Shipping', productGroup: { productGroupNumber: 1 }, salesPrice: 49 },
  ];
  for (const p of products) await sandbox('POST', '/products', agreement.grantToken, { ...p, inventory: { recommendedCostPrice: 0 } });
  await fetch(`${SANDBOX}/__sandbox/stock`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-AgreementGrantToken': agreement.grantToken }, body: JSON.stringify({ productNumber: 'MUG-BLUE', delta: 40 }) });
  await fetch(`${SANDBOX}/__sandbox/stock`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-AgreementGrantToken': agreement.grantToken }, body: JSON.stringify({ productNumber: 'TEA-1KG', delta: 25 }) });
  say(`   agreement ${agreement.agreementNumber}: customer group 1337, products ${products.map((p) => p.productNumber).join(', ')}, stock received`);

  say('2. A shop in bogholder, connected through the e-conomic grant page:');
  const shop = await gw.call<{ id: string; webhookSecret: string }>('POST', '/api/shops', { name: `Demo Webshop ${run}` });
  const connect = await gw.api<{ url: string }>('GET', `/api/shops/${shop.id}/economic/connect`, undefined, { accept: 'application/json' });
  if (connect.status !== 200) throw new Error(`GET /api/shops/${shop.id}/economic/connect answered ${connect.status}`);
  const { url } = connect.body;
  const callback = await approveGrant(url, agreement.agreementNumber);
  if (callback.status !== 200 || !/connected/i.test(callback.html)) throw new Error(`connecting failed (${callback.status}): ${callback.html.slice(0, 300)}`);
  const connection = await gw.call('GET', `/api/shops/${shop.id}/economic`);
  say(`   shop ${shop.id} → ${connection.status} to agreement ${connection.agreementNumber} (${connection.companyName})`);

  say('3. Settings: book at once, post payments to the suspense account, EAN, accrual, stock sync:');
  const settings = await gw.call('PUT', `/api/shops/${shop.id}/settings`, {
    bookingMode: 'book',
    shippingProductNumber: 'FRAGT',
    postPayments: true,
    paymentJournalNumber: 2,
    postingAccountNumber: 5830,
    eanInvoicing: true,
    accrual: true,
    stockSync: true,
  });
  say(`   ${Object.entries(settings).filter(([k]) => ['transferTrigger', 'bookingMode', 'customerGroupNumber', 'postPayments', 'eanInvoicing', 'accrual', 'stockSync'].includes(k)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);

  say('4. Signed orders from the shop:');
  const hansen = { id: `cust-${run}-1`, name: 'Jens Hansen', email: `jens.${run.toLowerCase()}@example.dk`, address: 'Nørregade 1', zip: '8000', city: 'Aarhus C', country: 'DK' };
  const berlin = { id: `cust-${run}-2`, name: 'Teehaus Berlin GmbH', email: `einkauf.${run.toLowerCase()}@teehaus.example`, address: 'Torstraße 9', zip: '10119', city: 'Berlin', country: 'DE' };
  const kommune = { id: `cust-${run}-3`, name: 'Aarhus Kommune', email: `indkob.${run.toLowerCase()}@aarhus.example.dk`, country: 'DK', cvr: '55133018', ean: '5798005770206', eanContactName: 'Mette Jensen' };
  const n = 1000 + (Date.now() % 8000);
  const sends: { label: string; type: string; data: unknown }[] = [
    { label: `order #${n} paid (domestic, with shipping)`, type: 'order.paid', data: { order: order(n, hansen, [{ sku: 'MUG-BLUE', description: 'Blue mug', quantity: 2, unitNetPrice: 80, vatRate: 25 }, { sku: 'TEA-1KG', description: 'Tea, 1 kg', quantity: 1, unitNetPrice: 240, vatRate: 25 }], { description: 'Shipping', amount: 49, vatRate: 25 }), payment: { amount: 561.25, currency: 'DKK', paidAt: new Date().toISOString(), fee: 4.5, gateway: 'quickpay' } } },
    { label: `order #${n + 1} paid (EU business customer, 0% VAT)`, type: 'order.paid', data: { order: order(n + 1, berlin, [{ sku: 'TEA-1KG', description: 'Tea, 1 kg', quantity: 10, unitNetPrice: 240, vatRate: 0 }]), payment: { amount: 2400, currency: 'DKK', paidAt: new Date().toISOString() } } },
    { label: `order #${n + 2} paid (subscription, accrued over a month)`, type: 'order.paid', data: { order: order(n + 2, hansen, [{ sku: 'SUB-YEAR', description: 'Tea club', quantity: 1, unitNetPrice: 1200, vatRate: 25, period: { start: today, end: nextMonth } }]), payment: { amount: 1500, currency: 'DKK', paidAt: new Date().toISOString() } } },
    { label: `order #${n + 3} paid (public customer, sent by EAN)`, type: 'order.paid', data: { order: order(n + 3, kommune, [{ sku: 'MUG-BLUE', description: 'Blue mug', quantity: 12, unitNetPrice: 80, vatRate: 25 }]), payment: { amount: 1200, currency: 'DKK', paidAt: new Date().toISOString() } } },
    { label: `order #${n + 4} paid (a SKU e-conomic does not have)`, type: 'order.paid', data: { order: order(n + 4, hansen, [{ sku: 'GHOST-42', description: 'Mystery item', quantity: 1, unitNetPrice: 100, vatRate: 25 }]), payment: { amount: 125, currency: 'DKK', paidAt: new Date().toISOString() } } },
  ];
  for (const s of sends) {
    const res = await gw.sendWebhook(shop.id, shop.webhookSecret, s.type, s.data);
    say(`   ${String(res.status).padEnd(4)} ${s.label}`);
    if (res.status !== 202) throw new Error(`the gateway refused it: ${JSON.stringify(res.body)}`);
  }

  const settle = async (orderIds: string[], timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await gw.call<{ items: any[] }>('GET', `/api/shops/${shop.id}/transfers?limit=50`);
      const done = orderIds.every((id) => list.items.some((t) => t.orderId === id && ['booked', 'parked', 'drafted'].includes(t.status)));
      if (done || Date.now() > deadline) return list.items;
      await sleep(500);
    }
  };
  let transfers = await settle(sends.map((_, i) => `DEMO-${n + i}`));

  const refund = await gw.sendWebhook(shop.id, shop.webhookSecret, 'order.refunded', {
    orderId: `DEMO-${n}`, refundId: 'R1', refundedAt: new Date().toISOString(),
    lines: [{ sku: 'MUG-BLUE', description: 'Blue mug (broken in transit)', quantity: 1, unitNetPrice: 80, vatRate: 25 }],
  });
  say(`   ${String(refund.status).padEnd(4)} order #${n} refunded: one broken mug`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    transfers = await settle([]);
    const t = transfers.find((x) => x.orderId === `DEMO-${n}`);
    if (t?.creditNotes?.some((c: any) => c.status === 'booked' || c.status === 'drafted')) break;
    await sleep(500);
  }

  say('');
  say('5. The transfer log (GET /api/shops/:id/transfers):');
  say(table(
    ['order', 'status', 'invoice', 'customer', 'credit notes', 'payments', 'reason'],
    transfers
      .slice()
      .sort((a, b) => String(a.orderId).localeCompare(String(b.orderId)))
      .map((t) => [
        t.orderId,
        t.status,
        t.bookedInvoiceNumber ?? (t.draftInvoiceNumber ? `draft ${t.draftInvoiceNumber}` : ''),
        t.customerNumber ?? '',
        (t.creditNotes ?? []).map((c: any) => `${c.refundId}: ${c.bookedInvoiceNumber ?? c.status}`).join(', '),
        (t.payments ?? []).map((p: any) => (p.voucherNumber ? `voucher ${p.voucherNumber}` : p.status)).join(', '),
        t.lastError ? `${t.lastError.code}: ${t.lastError.message}` : '',
      ]),
  ));
  const booked = transfers.filter((t) => t.status === 'booked').map((t) => t.bookedInvoiceNumber);
  const parked = transfers.filter((t) => t.status === 'parked');
  say('');
  say(`Booked invoices: ${booked.sort((x, y) => x - y).join(', ') || 'none'}`);
  for (const p of parked) say(`Parked ${p.orderId}: ${p.lastError?.message}`);
  say('');
  say(`Look at the invoices, the customers and the stock in e-conomic (the sandbox): ${SANDBOX}/?agreement=${agreement.agreementNumber}`);
  say('Fix the parked order: create product GHOST-42 in e-conomic (here, the sandbox\'s REST API), then retry it:');
  say(`  curl -X POST -H 'X-AppSecretToken: ${APP_SECRET}' -H 'X-AgreementGrantToken: ${agreement.grantToken}' -H 'content-type: application/json' \\`);
  say(`       ${SANDBOX}/products -d '{"productNumber":"GHOST-42","name":"Mystery item","productGroup":{"productGroupNumber":1},"inventory":{"recommendedCostPrice":0}}'`);
  say(`  curl -X POST -H "Authorization: Bearer ${ADMIN_TOKEN}" ${GATEWAY}/api/shops/${shop.id}/transfers/DEMO-${n + 4}/retry`);
  say('(When one cause parked many orders, retry them all at once:');
  say(`  curl -X POST -H "Authorization: Bearer ${ADMIN_TOKEN}" "${GATEWAY}/api/shops/${shop.id}/transfers/retry?code=products_missing")`);
}

main().catch((err: unknown) => {
  process.stderr.write(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
