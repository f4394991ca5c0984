import { RpcSubjects, TransferView } from '@bogholder/contracts';
import { Bus, PermanentError, RetryableError, RpcServer } from '@bogholder/messaging';
import { TEST_NATS_URL } from '@bogholder/testing';
import { bearer, createShop, Harness, startGateway, TestShop } from './helpers';

const transfer = (orderId: string, overrides: Partial<TransferView> = {}): TransferView => ({
  orderId, orderNumber: 1001, status: 'booked', draftInvoiceNumber: null, bookedInvoiceNumber: 17, customerNumber: 100000, attempts: 1,
  lastError: null, nextAttemptAt: null, creditNotes: [], payments: [], updatedAt: '2026-12-01T10:16:00.000Z', ...overrides,
});

describe('transfer log, retry, preview and inventory: relayed to the services over request/reply', () => {
  let h: Harness;
  let shop: TestShop;
  let bus: Bus;
  let services: RpcServer;
  /** What the stand-in services were asked, by subject. */
  const asked: Record<string, unknown[]> = {};
  /** The stand-ins' answers; a function may throw to answer with an error. */
  const answers: Record<string, (req: Record<string, unknown>) => unknown> = {};

  beforeAll(async () => {
    h = await startGateway();
    shop = await createShop(h, 'Relay Shop');
    bus = await Bus.connect({ servers: TEST_NATS_URL, name: 'stand-in-services', namespace: h.namespace });
    services = new RpcServer(bus, 'stand-in');
    for (const subject of Object.values(RpcSubjects)) {
      if (subject === RpcSubjects.InventoryStatus) continue; // nobody answers: the inventory service is "down" for this one
      services.serve(subject, async (req: Record<string, unknown>) => {
        (asked[subject] ??= []).push(req);
        return answers[subject]!(req);
      });
    }
    await bus.nc.flush();
  });

  afterAll(async () => {
    await services.stop();
    await bus.close();
    await h.close();
  });

  const last = (subject: string) => asked[subject]!.at(-1);

  describe('GET /api/shops/:shopId/transfers', () => {
    it('relays the shop, filters and paging, and answers the invoicing service\'s page', async () => {
      answers[RpcSubjects.InvoicingTransfersList] = (req) => ({ items: [transfer('A-1'), transfer('A-2', { status: 'parked', lastError: { code: 'sku_missing', message: 'product MUG-1 does not exist in e-conomic' } })], total: 120, echo: req });
      const res = await h.http().get(`/api/shops/${shop.id}/transfers?status=parked&orderId=A-2&limit=2&offset=40`).set(bearer).expect(200);
      expect(res.body.total).toBe(120);
      expect(res.body.items[1]).toMatchObject({ orderId: 'A-2', status: 'parked', lastError: { code: 'sku_missing' } });
      expect(last(RpcSubjects.InvoicingTransfersList)).toEqual({ shopId: shop.id, status: 'parked', orderId: 'A-2', limit: 2, offset: 40 });
      await h.http().get(`/api/shops/${shop.id}/transfers`).set(bearer).expect(200);
      expect(last(RpcSubjects.InvoicingTransfersList)).toEqual({ shopId: shop.id, limit: 50, offset: 0 });
    });

    it('refuses bad filters and paging with a message per field, without asking', async () => {
      const count = asked[RpcSubjects.InvoicingTransfersList]!.length;
      const res = await h.http().get(`/api/shops/${shop.id}/transfers?status=lost&limit=0&offset=x`).set(bearer).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'offset', 'status']);
      expect(res.body.errors.find((e: { field: string }) => e.field === 'status').message).toMatch(/waiting_for_trigger, waiting_for_connection, in_progress, drafted, booked, failed, parked/);
      await h.http().get(`/api/shops/${shop.id}/transfers?limit=501`).set(bearer).expect(400);
      expect(asked[RpcSubjects.InvoicingTransfersList]).toHaveLength(count);
    });

    it('answers 404 for an unknown shop without asking', async () => {
      const count = asked[RpcSubjects.InvoicingTransfersList]!.length;
      await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/transfers').set(bearer).expect(404);
      expect(asked[RpcSubjects.InvoicingTransfersList]).toHaveLength(count);
    });
  });

  describe('POST /api/shops/:shopId/transfers/:orderId/retry', () => {
    it('relays the retry with the request id as correlation id', async () => {
      answers[RpcSubjects.InvoicingTransferRetry] = (req) => transfer(String(req.orderId), { status: 'in_progress', attempts: 3 });
      const res = await h.http().post(`/api/shops/${shop.id}/transfers/A%2F7/retry`).set(bearer).set('x-request-id', 'req-retry-7').expect(200);
      expect(res.body).toMatchObject({ orderId: 'A/7', status: 'in_progress', attempts: 3 });
      expect(last(RpcSubjects.InvoicingTransferRetry)).toEqual({ shopId: shop.id, orderId: 'A/7', correlationId: 'req-retry-7' });
    });

    it('relays the service\'s errors with their status, message and fields', async () => {
      answers[RpcSubjects.InvoicingTransferRetry] = () => {
        throw new PermanentError('transfer_not_found', 'no transfer for order B-1 in this shop', { status: 404 });
      };
      const notFound = await h.http().post(`/api/shops/${shop.id}/transfers/B-1/retry`).set(bearer).expect(404);
      expect(notFound.body).toEqual({ statusCode: 404, message: 'no transfer for order B-1 in this shop', errors: [], code: 'transfer_not_found' });
      answers[RpcSubjects.InvoicingTransferRetry] = () => {
        throw new PermanentError('transfer_booked', 'order A-1 is booked as invoice 17; nothing to retry', { details: [{ field: 'orderId', message: 'already booked' }] });
      };
      const booked = await h.http().post(`/api/shops/${shop.id}/transfers/A-1/retry`).set(bearer).expect(422);
      expect(booked.body).toMatchObject({ statusCode: 422, code: 'transfer_booked', errors: [{ field: 'orderId', message: 'already booked' }] });
      answers[RpcSubjects.InvoicingTransferRetry] = () => {
        throw new RetryableError('economic_unavailable', 'e-conomic is not answering');
      };
      expect((await h.http().post(`/api/shops/${shop.id}/transfers/A-1/retry`).set(bearer).expect(503)).body.code).toBe('economic_unavailable');
    });
  });

  describe('POST /api/shops/:shopId/transfers/retry', () => {
    it('relays a bulk retry with its filters and answers how many were started', async () => {
      answers[RpcSubjects.InvoicingTransfersRetryMany] = () => ({ retried: 2, orderIds: ['A-1', 'A-2'], more: false });
      const res = await h.http().post(`/api/shops/${shop.id}/transfers/retry?status=parked&code=products_missing`).set(bearer).set('x-request-id', 'req-bulk-1').expect(200);
      expect(res.body).toEqual({ retried: 2, orderIds: ['A-1', 'A-2'], more: false });
      expect(last(RpcSubjects.InvoicingTransfersRetryMany)).toEqual({ shopId: shop.id, statuses: ['parked'], code: 'products_missing', correlationId: 'req-bulk-1' });
      await h.http().post(`/api/shops/${shop.id}/transfers/retry`).set(bearer).set('x-request-id', 'req-bulk-2').expect(200);
      expect(last(RpcSubjects.InvoicingTransfersRetryMany)).toEqual({ shopId: shop.id, correlationId: 'req-bulk-2' });
    });

    it('refuses a bad status or code with a message per field, and an unknown shop, without asking', async () => {
      const count = asked[RpcSubjects.InvoicingTransfersRetryMany]!.length;
      const res = await h.http().post(`/api/shops/${shop.id}/transfers/retry?status=booked&code=DROP%20TABLE`).set(bearer).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([
        { field: 'status', message: 'status must be parked or failed' },
        { field: 'code', message: 'code must be an error code as the transfer log shows it, e.g. products_missing' },
      ]));
      await h.http().post('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/transfers/retry').set(bearer).expect(404);
      expect(asked[RpcSubjects.InvoicingTransfersRetryMany]).toHaveLength(count);
    });
  });

  describe('GET /api/shops/:shopId/orders/:orderId/invoice-preview', () => {
    it('answers exactly the body that would be POSTed to /invoices/drafts', async () => {
      const draft = { date: '2026-12-01', currency: 'DKK', customer: { customerNumber: 100000 }, lines: [{ product: { productNumber: 'MUG-1' }, quantity: 2, unitNetPrice: 80 }], references: { other: `bogholder:${shop.id}:A-1` } };
      answers[RpcSubjects.InvoicingPreview] = () => ({ body: draft });
      const res = await h.http().get(`/api/shops/${shop.id}/orders/A-1/invoice-preview`).set(bearer).expect(200);
      expect(res.body).toEqual(draft);
      expect(last(RpcSubjects.InvoicingPreview)).toEqual({ shopId: shop.id, orderId: 'A-1' });
    });
  });

  describe('inventory', () => {
    it('relays mismatches', async () => {
      answers[RpcSubjects.InventoryMismatches] = () => ({ items: [{ sku: 'MUG-1', kind: 'stock-differs', shopQuantity: 3, economicQuantity: 5 }], total: 1 });
      const res = await h.http().get(`/api/shops/${shop.id}/inventory/mismatches`).set(bearer).expect(200);
      expect(res.body).toEqual({ items: [{ sku: 'MUG-1', kind: 'stock-differs', shopQuantity: 3, economicQuantity: 5 }], total: 1 });
      expect(last(RpcSubjects.InventoryMismatches)).toEqual({ shopId: shop.id });
    });

    it('relays deliveries with paging and status, and redelivery', async () => {
      answers[RpcSubjects.InventoryDeliveries] = () => ({ items: [], total: 0 });
      await h.http().get(`/api/shops/${shop.id}/inventory/deliveries?status=dead&limit=10&offset=5`).set(bearer).expect(200);
      expect(last(RpcSubjects.InventoryDeliveries)).toEqual({ shopId: shop.id, status: 'dead', limit: 10, offset: 5 });
      const bad = await h.http().get(`/api/shops/${shop.id}/inventory/deliveries?status=gone`).set(bearer).expect(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'status', message: 'status must be one of pending, delivered, dead' });
      answers[RpcSubjects.InventoryRedeliver] = (req) => ({ id: req.deliveryId, sku: 'MUG-1', status: 'pending', attempts: 4, lastError: null, nextAttemptAt: null, createdAt: '2026-12-01T10:00:00.000Z', deliveredAt: null });
      const redelivered = await h.http().post(`/api/shops/${shop.id}/inventory/deliveries/d-9/redeliver`).set(bearer).expect(200);
      expect(redelivered.body).toMatchObject({ id: 'd-9', status: 'pending' });
      expect(last(RpcSubjects.InventoryRedeliver)).toEqual({ shopId: shop.id, deliveryId: 'd-9' });
    });

    it('answers 503 saying which service is not answering', async () => {
      const res = await h.http().get(`/api/shops/${shop.id}/inventory`).set(bearer).expect(503);
      expect(res.body).toEqual({ statusCode: 503, message: 'the inventory service is not answering; try again shortly', errors: [], code: 'service_unavailable' });
      await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/inventory/mismatches').set(bearer).expect(404);
    });
  });

  it('answers 503 when the invoicing service is down', async () => {
    await services.stop();
    const res = await h.http().get(`/api/shops/${shop.id}/transfers`).set(bearer).expect(503);
    expect(res.body.message).toBe('the invoicing service is not answering; try again shortly');
  });
});
