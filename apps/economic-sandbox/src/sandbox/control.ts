import type { Ctx, Reply } from '../core/http';
import { Query } from '../core/http';
import type { Links } from '../core/links';
import { Router } from '../core/router';
import { isRecord } from '../core/validation';
import { renderBooked } from '../resources/booked';
import { renderCustomerGroup } from '../resources/customer-groups';
import { renderContact, renderCustomer } from '../resources/customers';
import { renderDraft } from '../resources/drafts';
import { renderVoucher } from '../resources/journals';
import { available, findProduct, moveStock, renderProduct, tracksStock } from '../resources/products';
import type { Store } from '../state/store';
import type { Agreement, AgreementType } from '../state/types';
import { ControlError } from './control-error';
import { describeFaults, parseFaults } from './faults';
import { parseRateLimit } from './rate-limit';
import { parseWebhooks, type WebhookDispatcher } from './webhooks';

export interface SandboxEnv {
  store: Store;
  webhooks: WebhookDispatcher;
  links: Links;
  appSecretToken: string;
  appPublicToken: string;
}

export interface ControlCtx {
  env: SandboxEnv;
  params: Record<string, string>;
  body: unknown;
  /** The agreement named by X-AgreementGrantToken, or the first agreement. */
  agreement(): Agreement;
}

export type ControlHandler = (c: ControlCtx) => Reply;

export const MAX_REQUEST_LOG = 10_000;

/** A REST context for rendering an agreement's resources outside a REST request. */
export function renderCtx(env: SandboxEnv, agreement: Agreement): Ctx {
  return {
    method: 'GET',
    path: '/',
    query: new Query(new URLSearchParams()),
    params: {},
    body: undefined,
    agreement,
    links: env.links,
    effects: [],
  };
}

function summary(a: Agreement) {
  return {
    agreementNumber: a.agreementNumber,
    companyName: a.companyName,
    cvr: a.cvr,
    agreementType: a.agreementType,
    paying: a.paying,
    canSendElectronicInvoice: a.canSendElectronicInvoice,
    inventoryModule: a.inventoryModule,
  };
}

function bodyObject(body: unknown, allowEmpty = true): Record<string, unknown> {
  if (body === undefined && allowEmpty) return {};
  if (!isRecord(body)) throw new ControlError(400, 'The body must be a JSON object.');
  return body;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new ControlError(400, `${key} must be a non-empty string.`);
  return v;
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ControlError(400, `${key} must be true or false.`);
  return v;
}

const health: ControlHandler = () => ({ status: 200, body: { status: 'ok' } });

const reset: ControlHandler = (c) => {
  const a = c.env.store.reset();
  return { status: 200, body: { agreementNumber: a.agreementNumber } };
};

const listAgreements: ControlHandler = (c) => ({
  status: 200,
  body: { items: [...c.env.store.agreements.values()].map(summary) },
});

const createAgreement: ControlHandler = (c) => {
  const body = bodyObject(c.body);
  const a = c.env.store.addAgreement(optionalString(body, 'companyName'));
  return { status: 201, body: { agreementNumber: a.agreementNumber, grantToken: c.env.store.issueGrant(a.agreementNumber) } };
};

const createGrant: ControlHandler = (c) => {
  const body = bodyObject(c.body);
  const n = body.agreementNumber;
  if (n !== undefined && (typeof n !== 'number' || !c.env.store.agreements.has(n))) throw new ControlError(404, `Unknown agreement ${String(n)}.`);
  const agreementNumber = (n as number | undefined) ?? c.agreement().agreementNumber;
  return { status: 201, body: { grantToken: c.env.store.issueGrant(agreementNumber), agreementNumber } };
};

const revokeGrant: ControlHandler = (c) => {
  const token = decodeURIComponent(c.params.token ?? '');
  if (!c.env.store.revoke(token)) throw new ControlError(404, 'Unknown grant token.');
  return { status: 204 };
};

const AGREEMENT_TYPES: AgreementType[] = ['denmark', 'sweden', 'norway'];

const patchAgreement: ControlHandler = (c) => {
  const a = c.agreement();
  const body = bodyObject(c.body, false);
  const companyName = optionalString(body, 'companyName');
  const canSend = optionalBoolean(body, 'canSendElectronicInvoice');
  const inventory = optionalBoolean(body, 'inventoryModule');
  const paying = optionalBoolean(body, 'paying');
  const cvr = body.cvr;
  if (cvr !== undefined && cvr !== null && typeof cvr !== 'string') throw new ControlError(400, 'cvr must be a string or null.');
  const type = body.agreementType;
  if (type !== undefined && !AGREEMENT_TYPES.includes(type as AgreementType)) {
    throw new ControlError(400, `agreementType must be one of: ${AGREEMENT_TYPES.join(', ')}.`);
  }
  if (companyName !== undefined) a.companyName = companyName;
  if (canSend !== undefined) a.canSendElectronicInvoice = canSend;
  if (inventory !== undefined) a.inventoryModule = inventory;
  if (paying !== undefined) a.paying = paying;
  if (cvr !== undefined) a.cvr = cvr;
  if (type !== undefined) a.agreementType = type as AgreementType;
  return { status: 200, body: summary(a) };
};

const putFaults: ControlHandler = (c) => {
  const a = c.agreement();
  a.faults = parseFaults(c.body);
  return { status: 200, body: describeFaults(a.faults) };
};

const getFaults: ControlHandler = (c) => ({ status: 200, body: describeFaults(c.agreement().faults) });

const putRateLimit: ControlHandler = (c) => {
  const a = c.agreement();
  a.rateLimit = parseRateLimit(c.body === undefined ? null : c.body);
  return { status: 200, body: a.rateLimit ? { burst: a.rateLimit.burst, refillPerSecond: a.rateLimit.refillPerSecond } : null };
};

const stock: ControlHandler = (c) => {
  const a = c.agreement();
  const body = bodyObject(c.body, false);
  const { productNumber, delta } = body;
  if (typeof productNumber !== 'string' || productNumber === '') throw new ControlError(400, 'productNumber must be a non-empty string.');
  if (typeof delta !== 'number' || !Number.isFinite(delta)) throw new ControlError(400, 'delta must be a number.');
  const p = findProduct(a, productNumber);
  if (!p) throw new ControlError(404, `Unknown product ${productNumber}.`);
  if (!tracksStock(a, p)) {
    throw new ControlError(400, `Product ${p.productNumber} has no stock: the inventory module is off or its product group is not inventory-enabled.`);
  }
  moveStock(p, delta);
  c.env.webhooks.fire(a, [{ kind: 'product', productNumber: p.productNumber }]);
  return { status: 200, body: { productNumber: p.productNumber, inStock: p.inventory.inStock, available: available(p) } };
};

const getRequests: ControlHandler = (c) => ({ status: 200, body: { items: c.agreement().requests } });

const clearRequests: ControlHandler = (c) => {
  c.agreement().requests = [];
  return { status: 204 };
};

const putWebhooks: ControlHandler = (c) => {
  const a = c.agreement();
  a.webhooks = parseWebhooks(c.body);
  return { status: 200, body: { items: a.webhooks } };
};

const getWebhooks: ControlHandler = (c) => ({ status: 200, body: { items: c.agreement().webhooks } });

const state: ControlHandler = (c) => {
  const a = c.agreement();
  const ctx = renderCtx(c.env, a);
  return {
    status: 200,
    body: {
      agreement: summary(a),
      customers: [...a.customers.values()].map((x) => renderCustomer(ctx, x)),
      contacts: [...a.customers.values()].flatMap((x) => [...x.contacts.values()].map((k) => renderContact(ctx, k))),
      customerGroups: [...a.customerGroups.values()].map((g) => renderCustomerGroup(ctx, g)),
      products: [...a.products.values()].map((p) => ({ ...renderProduct(ctx, p), stock: { inStock: p.inventory.inStock, available: available(p) } })),
      drafts: [...a.drafts.values()].map((d) => renderDraft(ctx, d, true)),
      booked: [...a.booked.values()].map((b) => ({ ...renderBooked(ctx, b, true), sentBy: b.sentBy ?? 'none' })),
      vouchers: [...a.vouchers.values()].map((v) => renderVoucher(ctx, v)),
      faults: describeFaults(a.faults),
      rateLimit: a.rateLimit ? { burst: a.rateLimit.burst, refillPerSecond: a.rateLimit.refillPerSecond } : null,
      webhooks: a.webhooks,
    },
  };
};

export function controlRouter(): Router<ControlHandler> {
  return new Router<ControlHandler>()
    .get('/__sandbox/health', health)
    .post('/__sandbox/reset', reset)
    .get('/__sandbox/agreements', listAgreements)
    .post('/__sandbox/agreements', createAgreement)
    .patch('/__sandbox/agreement', patchAgreement)
    .post('/__sandbox/grants', createGrant)
    .delete('/__sandbox/grants/:token', revokeGrant)
    .get('/__sandbox/faults', getFaults)
    .put('/__sandbox/faults', putFaults)
    .put('/__sandbox/rate-limit', putRateLimit)
    .post('/__sandbox/stock', stock)
    .get('/__sandbox/requests', getRequests)
    .delete('/__sandbox/requests', clearRequests)
    .get('/__sandbox/webhooks', getWebhooks)
    .put('/__sandbox/webhooks', putWebhooks)
    .get('/__sandbox/state', state);
}
