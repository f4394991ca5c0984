import { InventoryMismatchesReply, InventoryStatusReply, RpcSubjects, Subjects } from '@bogholder/contracts';
import { eventually, sleep } from '@bogholder/testing';
import { Harness } from './support/harness';

const order = (orderId: string, skus: string[]) => ({
  order: {
    orderId, orderNumber: 1, currency: 'DKK', date: '2026-01-05', customer: { name: 'Kunde', country: 'DK' },
    lines: skus.map((sku) => ({ sku, description: sku, quantity: 1, unitNetPrice: 10, vatRate: 25 })),
  },
  payment: { amount: 12.5, currency: 'DKK', paidAt: '2026-01-05T10:00:00Z' },
});

describe('SKU mismatches between the shop and e-conomic', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start('inv_mism');
  });

  afterAll(async () => {
    await h?.close();
  });

  const mismatches = (shopId: string) => h.rpc.request<InventoryMismatchesReply>(RpcSubjects.InventoryMismatches, { shopId });
  const eventsOf = (shopId: string) => h.mismatches.filter((e) => e.shopId === shopId).map((e) => e.data);

  it('finds snapshot SKUs that are not products and quantities that differ, emits each once, and forgets them when fixed', async () => {
    const a = await h.agreement();
    await h.product(a, 'RED', { stock: 10 });
    await h.product(a, 'BLUE', { stock: 4 });
    await h.product(a, 'MANUAL', { group: 2 }); // no stock in e-conomic: its quantity is not compared
    await h.connect('shop-snap', a);
    await h.reconciled('shop-snap');
    await h.economicWebhooks(a, 'shop-snap', ['product']);

    const snapshot = { items: [{ sku: 'RED', quantity: 3 }, { sku: 'BLUE', quantity: 4 }, { sku: 'MANUAL', quantity: 9 }, { sku: 'GREEN', quantity: 2 }] };
    const sent = await h.publish(Subjects.ShopStockSnapshot, 'shop-snap', snapshot);
    const reply = await eventually(async () => {
      const r = await mismatches('shop-snap');
      return r.total === 2 ? r : null;
    });
    expect(reply.items.map(({ detectedAt: _d, ...m }) => m)).toEqual([
      { sku: 'GREEN', kind: 'missing-in-economic', shopQuantity: 2, economicQuantity: null },
      { sku: 'RED', kind: 'stock-differs', shopQuantity: 3, economicQuantity: 10 },
    ]);
    await eventually(() => eventsOf('shop-snap').length === 2);
    expect(eventsOf('shop-snap')).toEqual(expect.arrayContaining([
      { sku: 'GREEN', kind: 'missing-in-economic', shopQuantity: 2 },
      { sku: 'RED', kind: 'stock-differs', shopQuantity: 3, economicQuantity: 10 },
    ]));
    expect(h.mismatches.filter((e) => e.shopId === 'shop-snap').every((e) => e.correlationId === sent.correlationId)).toBe(true);

    // The same snapshot again: nothing new to report.
    await h.publish(Subjects.ShopStockSnapshot, 'shop-snap', snapshot);
    await h.handled(Subjects.ShopStockSnapshot, 2);
    await h.refreshed('shop-snap');
    await sleep(300);
    expect(eventsOf('shop-snap')).toHaveLength(2);

    // The shop corrects RED; e-conomic gets GREEN (its product webhook makes us look again).
    await h.publish(Subjects.ShopStockSnapshot, 'shop-snap', { items: [{ sku: 'RED', quantity: 10 }] });
    await a.economic.products.create({ productNumber: 'GREEN', name: 'Green', productGroup: { productGroupNumber: 2 }, inventory: { recommendedCostPrice: 1 } });
    await eventually(async () => (await mismatches('shop-snap')).total === 0);
    expect(eventsOf('shop-snap')).toHaveLength(2);
    const status = await h.rpc.request<InventoryStatusReply>(RpcSubjects.InventoryStatus, { shopId: 'shop-snap' });
    expect(status.openMismatches).toBe(0);
  });

  it('reports SKUs sold in the shop that e-conomic does not have (order lines), matching product numbers without regard to case', async () => {
    const a = await h.agreement();
    await h.product(a, 'Hat', { stock: 1 });
    await h.connect('shop-orders', a);
    await h.reconciled('shop-orders');

    await h.publish(Subjects.ShopOrderPaid, 'shop-orders', order('o-1', ['HAT', 'SCARF', 'SCARF']));
    const reply = await eventually(async () => {
      const r = await mismatches('shop-orders');
      return r.total === 1 ? r : null;
    });
    expect(reply.items).toEqual([expect.objectContaining({ sku: 'SCARF', kind: 'missing-in-economic', shopQuantity: null, economicQuantity: null })]);
    await eventually(() => eventsOf('shop-orders').length === 1);
    expect(eventsOf('shop-orders')).toEqual([{ sku: 'SCARF', kind: 'missing-in-economic' }]);

    // A SKU looked up once is not looked up again for every order.
    await h.clearRequests(a);
    await h.publish(Subjects.ShopOrderShipped, 'shop-orders', { order: order('o-2', ['HAT', 'SCARF']).order, shippedAt: '2026-01-06T10:00:00Z' });
    await h.handled(Subjects.ShopOrderShipped, 1);
    await sleep(500);
    expect((await h.requests(a)).filter((r) => r.path.startsWith('/products'))).toEqual([]);
  });

  it('a stock-differs report goes away once e-conomic\'s newer count has been sent to the shop', async () => {
    const a = await h.agreement();
    await h.product(a, 'PEN', { stock: 8 });
    await h.connect('shop-stale', a);
    await h.reconciled('shop-stale');
    await h.publish(Subjects.ShopStockSnapshot, 'shop-stale', { items: [{ sku: 'PEN', quantity: 5 }] });
    await eventually(async () => (await mismatches('shop-stale')).total === 1);

    await h.moveStock(a, 'PEN', 1);
    expect(await h.reconciler().reconcileNow('shop-stale')).toMatchObject({ outcome: 'done', changes: 1 });
    expect((await mismatches('shop-stale')).total).toBe(0);
  });

  it('refuses a request without a shopId, naming the field', async () => {
    const err = await h.rpc.request(RpcSubjects.InventoryMismatches, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});
