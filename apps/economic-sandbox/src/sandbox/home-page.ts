import { available } from '../resources/products';
import type { Store } from '../state/store';
import type { Agreement, InvoiceDoc } from '../state/types';
import { esc, page, table } from './html';

const LIMIT = 200;

function newest<T>(items: Iterable<T>): T[] {
  return [...items].reverse().slice(0, LIMIT);
}

function money(n: number): string {
  return esc(n.toFixed(2));
}

function linesTable(doc: InvoiceDoc, withVat: boolean): string {
  return table(
    ['#', 'Product', 'Description', 'Qty', 'Unit price', 'Discount %', 'Net', ...(withVat ? ['VAT %', 'VAT'] : [])],
    doc.lines.map((l) => [
      esc(l.lineNumber),
      esc(l.product?.productNumber ?? ''),
      esc(l.description),
      esc(l.quantity),
      money(l.unitNetPrice),
      esc(l.discountPercentage),
      money(l.totalNetAmount),
      ...(withVat ? [esc(l.vatRate), money(l.vatAmount)] : []),
    ]),
    withVat ? [3, 4, 5, 6, 7, 8] : [3, 4, 5, 6],
  );
}

function section(a: Agreement): string {
  const customers = table(
    ['Number', 'Name', 'Group', 'VAT zone', 'EAN', 'Contacts', 'Balance'],
    newest(a.customers.values()).map((c) => [
      esc(c.customerNumber),
      esc(c.name),
      esc(c.customerGroup.customerGroupNumber),
      esc(c.vatZone.vatZoneNumber),
      esc(c.ean ?? ''),
      esc([...c.contacts.values()].map((x) => x.name).join(', ')),
      money(c.balance),
    ]),
    [6],
  );
  const drafts = newest(a.drafts.values())
    .map(
      (d) => `<h3>Draft ${esc(d.draftInvoiceNumber)} — customer ${esc(d.customer.customerNumber)} ${esc(d.recipient.name)}, ${esc(d.date)}</h3>
<p>${esc(d.notes?.heading ?? '')} <span class="muted">${esc(d.references?.other ?? '')}</span></p>
${linesTable(d, false)}
<p>Net ${money(d.netAmount)} · VAT ${money(d.vatAmount)} · Gross ${money(d.grossAmount)} ${esc(d.currency)}</p>`,
    )
    .join('\n');
  const booked = newest(a.booked.values())
    .map(
      (b) => `<h3>Invoice ${esc(b.bookedInvoiceNumber)}${b.grossAmount < 0 ? ' (credit note)' : ''} — customer ${esc(b.customer.customerNumber)} ${esc(b.recipient.name)}, ${esc(b.date)}${b.sentBy ? ' · sent by EAN' : ''}</h3>
<p>${esc(b.notes?.heading ?? '')} <span class="muted">${esc(b.references?.other ?? '')}</span></p>
${linesTable(b, true)}
<p>Net ${money(b.netAmount)} · VAT ${money(b.vatAmount)} · Gross ${money(b.grossAmount)} ${esc(b.currency)} · Remainder ${money(b.remainder)}</p>`,
    )
    .join('\n');
  const vouchers = table(
    ['Journal', 'Voucher', 'Type', 'Date', 'Customer', 'Invoice', 'Contra account', 'Amount', 'Text'],
    newest(a.vouchers.values()).flatMap((v) =>
      [...v.entries.customerPayments, ...v.entries.financeVouchers].map((e) => [
        esc(v.journal.journalNumber),
        esc(`${v.accountingYear.year}-${v.voucherNumber}`),
        esc(e.entryType),
        esc(e.date),
        esc(e.customer?.customerNumber ?? ''),
        esc(e.customerInvoice ?? ''),
        esc(e.contraAccount?.accountNumber ?? e.account?.accountNumber ?? ''),
        money(e.amount),
        esc(e.text ?? ''),
      ]),
    ),
    [7],
  );
  const products = table(
    ['Product', 'Name', 'Group', 'Sales price', 'In stock', 'Available'],
    newest(a.products.values()).map((p) => [
      esc(p.productNumber),
      esc(p.name),
      esc(p.productGroup.productGroupNumber),
      money(p.salesPrice ?? 0),
      esc(p.inventory.inStock),
      esc(available(p)),
    ]),
    [3, 4, 5],
  );
  return `<h1>Agreement ${esc(a.agreementNumber)} — ${esc(a.companyName)}</h1>
<p class="muted">CVR ${esc(a.cvr ?? 'none')} · ${esc(a.agreementType)} · ${a.paying ? 'paying' : 'not paying'} · e-invoicing ${a.canSendElectronicInvoice ? 'on' : 'off'} · inventory ${a.inventoryModule ? 'on' : 'off'}. Newest first, at most ${LIMIT} of each. The page refreshes every 5 seconds.</p>
<h2>Customers (${a.customers.size})</h2>${customers}
<h2>Draft invoices (${a.drafts.size})</h2>${drafts || '<p class="muted">None.</p>'}
<h2>Booked invoices (${a.booked.size})</h2>${booked || '<p class="muted">None.</p>'}
<h2>Vouchers (${a.vouchers.size})</h2>${vouchers}
<h2>Products and stock (${a.products.size})</h2>${products}`;
}

/** GET /: a small page that shows one agreement's customers, invoices, vouchers and stock. */
export function homePage(store: Store, agreementParam: string | null): string {
  const chosen = (agreementParam !== null ? store.agreements.get(Number(agreementParam)) : undefined) ?? store.first();
  const nav = [...store.agreements.values()]
    .map((a) =>
      a === chosen ? `<strong>${esc(a.agreementNumber)}</strong>` : `<a href="/?agreement=${esc(a.agreementNumber)}">${esc(a.agreementNumber)} ${esc(a.companyName)}</a>`,
    )
    .join(' ');
  return page(
    `e-conomic sandbox — ${chosen.companyName}`,
    `<nav>Agreements: ${nav}</nav>\n${section(chosen)}`,
    '<meta http-equiv="refresh" content="5">',
  );
}
