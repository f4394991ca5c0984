import { ApiError, ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Reader } from '../core/validation';
import { PAYMENT_TERMS_TYPES, type PaymentTerms, type PaymentTermsType } from '../state/types';
import { created, found, idParam, noContent, objectReader, ok } from './common';

const FIELDS: FieldSpec = { paymentTermsNumber: 'number', name: 'string', daysOfCredit: 'number', paymentTermsType: 'string' };

function render(ctx: Ctx, t: PaymentTerms) {
  return {
    paymentTermsNumber: t.paymentTermsNumber,
    daysOfCredit: t.daysOfCredit,
    description: t.description,
    name: t.name,
    paymentTermsType: t.paymentTermsType,
    self: ctx.links.url(`/payment-terms/${t.paymentTermsNumber}`),
  };
}

function read(r: Reader, number: number): PaymentTerms {
  const name = r.string(['name'], { required: true, max: 50 });
  const type = r.string(['paymentTermsType'], { required: true, oneOf: PAYMENT_TERMS_TYPES });
  const days = r.number(['daysOfCredit'], { integer: true, min: 0 });
  const description = r.string(['description'], { max: 1000 });
  r.issues.throwIfAny();
  const t: PaymentTerms = { paymentTermsNumber: number, name: name!, paymentTermsType: type as PaymentTermsType };
  if (days !== undefined) t.daysOfCredit = days;
  if (description !== undefined) t.description = description;
  return t;
}

const list: Handler = (ctx) =>
  collection(ctx, '/payment-terms', ctx.agreement.paymentTerms.values(), {
    fields: FIELDS,
    defaultSort: 'paymentTermsNumber',
    render: (t) => render(ctx, t),
  });

const get: Handler = (ctx) => ok(render(ctx, found(ctx.agreement.paymentTerms.get(idParam(ctx, 'n')))));

const create: Handler = (ctx) => {
  const a = ctx.agreement;
  const t = read(objectReader(ctx), a.nextPaymentTermsNumber);
  a.nextPaymentTermsNumber++;
  a.paymentTerms.set(t.paymentTermsNumber, t);
  return created(ctx, `/payment-terms/${t.paymentTermsNumber}`, render(ctx, t));
};

const replace: Handler = (ctx) => {
  const existing = found(ctx.agreement.paymentTerms.get(idParam(ctx, 'n')));
  const t = read(objectReader(ctx), existing.paymentTermsNumber);
  ctx.agreement.paymentTerms.set(t.paymentTermsNumber, t);
  return ok(render(ctx, t));
};

const remove: Handler = (ctx) => {
  const a = ctx.agreement;
  const t = found(a.paymentTerms.get(idParam(ctx, 'n')));
  const n = t.paymentTermsNumber;
  const inUse =
    [...a.customers.values()].some((c) => c.paymentTerms.paymentTermsNumber === n) ||
    [...a.drafts.values()].some((d) => d.paymentTerms.paymentTermsNumber === n);
  if (inUse) throw new ApiError(400, 'The payment terms are in use and cannot be deleted.', 'Customers or draft invoices use them.', ErrorCode.inUse);
  a.paymentTerms.delete(n);
  return noContent;
};

export function registerPaymentTerms(r: Router<Handler>): void {
  r.get('/payment-terms', list)
    .post('/payment-terms', create)
    .get('/payment-terms/:n', get)
    .put('/payment-terms/:n', replace)
    .delete('/payment-terms/:n', remove);
}
