import type { FieldSpec } from '../core/filter';
import type { Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import { found, idParam, ok } from './common';
import { accountExpanded } from './refs';

const FIELDS: FieldSpec = {
  accountNumber: 'number',
  accountType: 'string',
  balance: 'number',
  barred: 'boolean',
  blockDirectEntries: 'boolean',
  debitCredit: 'string',
  name: 'string',
};

const list: Handler = (ctx) =>
  collection(ctx, '/accounts', ctx.agreement.accounts.values(), {
    fields: FIELDS,
    defaultSort: 'accountNumber',
    render: (acc) => accountExpanded(ctx, ctx.agreement, acc.accountNumber),
  });

const get: Handler = (ctx) => {
  const acc = found(ctx.agreement.accounts.get(idParam(ctx, 'n')));
  return ok(accountExpanded(ctx, ctx.agreement, acc.accountNumber));
};

/** The chart of accounts is read-only. */
export function registerAccounts(r: Router<Handler>): void {
  r.get('/accounts', list).get('/accounts/:n', get);
}
