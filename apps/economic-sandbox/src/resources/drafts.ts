import { parseFilter } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Agreement, Draft, InvoiceDoc } from '../state/types';
import { created, found, idParam, objectReader, ok, stamp } from './common';
import { computeTotals, DRAFT_FIELDS, readInvoiceDoc, readLines, renderDocParts, renderLine } from './invoice-doc';

export function renderDraft(ctx: Ctx, d: Draft, withLines: boolean) {
  const n = d.draftInvoiceNumber;
  const url = (p: string) => ctx.links.url(p);
  const parts = renderDocParts(ctx, d);
  return {
    draftInvoiceNumber: n,
    soap: d.soap,
    templates: {
      bookingInstructions: url(`/invoices/drafts/${n}/templates/booking-instructions`),
      self: url(`/invoices/drafts/${n}/templates`),
    },
    attachment: url(`/invoices/drafts/${n}/attachment`),
    ...parts.amounts,
    ...parts.margins,
    ...parts.parties,
    pdf: { download: url(`/invoices/drafts/${n}/pdf`) },
    lines: withLines ? d.lines.map((l) => renderLine(ctx, l, false)) : undefined,
    lastUpdated: d.lastUpdated,
    self: url(`/invoices/drafts/${n}`),
  };
}

function toDraft(doc: InvoiceDoc, draftInvoiceNumber: number): Draft {
  return { ...doc, draftInvoiceNumber, soap: { currentInvoiceHandle: { id: draftInvoiceNumber } }, lastUpdated: stamp() };
}

function draftOf(ctx: Ctx): Draft {
  return found(ctx.agreement.drafts.get(idParam(ctx, 'n')));
}

function deletedBody(ctx: Ctx, numbers: number[]) {
  return {
    message: numbers.length === 1 ? 'Deleted invoice.' : `Deleted ${numbers.length} invoices.`,
    deletedCount: numbers.length,
    deletedItems: numbers.map((n) => ({ draftInvoiceNumber: n, self: ctx.links.url(`/invoices/drafts/${n}`) })),
  };
}

const list: Handler = (ctx) =>
  collection(ctx, '/invoices/drafts', ctx.agreement.drafts.values(), {
    fields: DRAFT_FIELDS,
    defaultSort: 'draftInvoiceNumber',
    render: (d) => renderDraft(ctx, d, false),
  });

const get: Handler = (ctx) => ok(renderDraft(ctx, draftOf(ctx), true));

const create: Handler = (ctx) => {
  const a: Agreement = ctx.agreement;
  const doc = readInvoiceDoc(objectReader(ctx), a);
  const draft = toDraft(doc, a.nextDraftNumber++);
  a.drafts.set(draft.draftInvoiceNumber, draft);
  return created(ctx, `/invoices/drafts/${draft.draftInvoiceNumber}`, renderDraft(ctx, draft, true));
};

const replace: Handler = (ctx) => {
  const existing = draftOf(ctx);
  const doc = readInvoiceDoc(objectReader(ctx), ctx.agreement);
  const draft = toDraft(doc, existing.draftInvoiceNumber);
  ctx.agreement.drafts.set(draft.draftInvoiceNumber, draft);
  return ok(renderDraft(ctx, draft, true));
};

const remove: Handler = (ctx) => {
  const d = draftOf(ctx);
  ctx.agreement.drafts.delete(d.draftInvoiceNumber);
  return ok(deletedBody(ctx, [d.draftInvoiceNumber]));
};

/** DELETE /invoices/drafts deletes every draft matching `filter` (all of them without one). */
const removeMany: Handler = (ctx) => {
  const filter = ctx.query.get('filter');
  const predicate = filter ? parseFilter(filter, DRAFT_FIELDS) : () => true;
  const numbers = [...ctx.agreement.drafts.values()].filter(predicate).map((d) => d.draftInvoiceNumber);
  for (const n of numbers) ctx.agreement.drafts.delete(n);
  return ok(deletedBody(ctx, numbers));
};

/** POST /invoices/drafts/:n/lines with `{lines: [...]}` appends lines and answers the whole draft. */
const addLines: Handler = (ctx) => {
  const d = draftOf(ctx);
  const r = objectReader(ctx);
  const lines = readLines(r, ctx.agreement, ['lines'], d.lines.length + 1, true);
  if (r.issues.count === 0 && lines.length === 0) r.add(['lines'], 'E04000', "Property 'lines' must contain at least one line.");
  r.issues.throwIfAny();
  d.lines.push(...lines);
  computeTotals(ctx.agreement, d);
  d.lastUpdated = stamp();
  return created(ctx, `/invoices/drafts/${d.draftInvoiceNumber}`, renderDraft(ctx, d, true));
};

const bookingInstructions: Handler = (ctx) => {
  const d = draftOf(ctx);
  return ok({ draftInvoice: { draftInvoiceNumber: d.draftInvoiceNumber, self: ctx.links.url(`/invoices/drafts/${d.draftInvoiceNumber}`) } });
};

export function registerDrafts(r: Router<Handler>): void {
  r.get('/invoices/drafts', list)
    .post('/invoices/drafts', create)
    .delete('/invoices/drafts', removeMany)
    .get('/invoices/drafts/:n', get)
    .put('/invoices/drafts/:n', replace)
    .delete('/invoices/drafts/:n', remove)
    .post('/invoices/drafts/:n/lines', addLines)
    .get('/invoices/drafts/:n/templates/booking-instructions', bookingInstructions);
}
