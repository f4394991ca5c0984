import type { Account, Agreement, Journal, PaymentTerms, VatZone } from './types';

function map<K, V>(items: V[], key: (v: V) => K): Map<K, V> {
  return new Map(items.map((v) => [key(v), v]));
}

/**
 * A fresh agreement seeded as CONTRACT.md §5 describes: Danish, CVR set, can send e-invoices,
 * inventory module on, a small Danish chart of accounts, layouts, payment terms 1–5, VAT zones 1–4,
 * customer group 1, product groups 1 and 2, unit 1, journals 1 and 2, and accounting years for the
 * current and the previous calendar year. (Customer group 1337 is deliberately not seeded.)
 */
export function seedAgreement(agreementNumber: number, companyName: string, now = new Date()): Agreement {
  const year = now.getUTCFullYear();
  const accounts: Account[] = [
    { accountNumber: 1010, name: 'Salg af varer/ydelser m/moms', accountType: 'profitAndLoss', debitCredit: 'credit', balance: 0, barred: false, blockDirectEntries: false, vatCode: 'U25' },
    { accountNumber: 1020, name: 'Salg af varer til udland', accountType: 'profitAndLoss', debitCredit: 'credit', balance: 0, barred: false, blockDirectEntries: false },
    { accountNumber: 5600, name: 'Debitorer', accountType: 'status', debitCredit: 'debit', balance: 0, barred: false, blockDirectEntries: false },
    { accountNumber: 5820, name: 'Bank', accountType: 'status', debitCredit: 'debit', balance: 0, barred: false, blockDirectEntries: false },
    { accountNumber: 5830, name: 'Webshop mellemregning', accountType: 'status', debitCredit: 'debit', balance: 0, barred: false, blockDirectEntries: false },
  ];
  const paymentTerms: PaymentTerms[] = [
    { paymentTermsNumber: 1, name: 'Netto 8 dage', paymentTermsType: 'net', daysOfCredit: 8 },
    { paymentTermsNumber: 2, name: 'Netto 14 dage', paymentTermsType: 'net', daysOfCredit: 14 },
    { paymentTermsNumber: 3, name: 'Til omgående betaling', paymentTermsType: 'net', daysOfCredit: 0 },
    { paymentTermsNumber: 4, name: 'Løbende måned 30 dage', paymentTermsType: 'invoiceMonth', daysOfCredit: 30 },
    { paymentTermsNumber: 5, name: 'Netto 30 dage', paymentTermsType: 'net', daysOfCredit: 30 },
  ];
  const vatZones: VatZone[] = [
    { vatZoneNumber: 1, name: 'Domestic', enabledForCustomer: true, enabledForSupplier: true, lineVatRate: 25 },
    { vatZoneNumber: 2, name: 'EU', enabledForCustomer: true, enabledForSupplier: true, lineVatRate: 0 },
    { vatZoneNumber: 3, name: 'Abroad', enabledForCustomer: true, enabledForSupplier: true, lineVatRate: 0 },
    { vatZoneNumber: 4, name: 'Domestic exempt VAT', enabledForCustomer: true, enabledForSupplier: false, lineVatRate: 0 },
  ];
  const journals: Journal[] = [
    { journalNumber: 1, name: 'Daglig', minimumVoucherNumber: 1, nextVoucherNumber: 1 },
    {
      journalNumber: 2,
      name: 'Indbetalinger',
      minimumVoucherNumber: 50001,
      nextVoucherNumber: 50001,
      entryTypeRestrictedTo: 'customerPayment',
      customerPaymentsContraAccount: 5820,
    },
  ];
  return {
    agreementNumber,
    companyName,
    cvr: '29403473',
    agreementType: 'denmark',
    paying: true,
    canSendElectronicInvoice: true,
    inventoryModule: true,
    signupDate: now.toISOString().slice(0, 10),

    customers: new Map(),
    maxCustomerNumber: 0,
    nextContactNumber: 1,
    customerGroups: map([{ customerGroupNumber: 1, name: 'Danske', account: { accountNumber: 5600 } }], (g) => g.customerGroupNumber),
    products: new Map(),
    productGroups: map(
      [
        {
          productGroupNumber: 1,
          name: 'Varer m/moms',
          inventoryEnabled: true,
          salesAccounts: new Map([
            [1, 1010],
            [2, 1020],
            [3, 1020],
            [4, 1020],
          ]),
        },
        {
          productGroupNumber: 2,
          name: 'Varer uden moms',
          inventoryEnabled: false,
          salesAccounts: new Map([
            [1, 1020],
            [2, 1020],
            [3, 1020],
            [4, 1020],
          ]),
        },
      ],
      (g) => g.productGroupNumber,
    ),
    units: map([{ unitNumber: 1, name: 'stk.' }], (u) => u.unitNumber),
    nextUnitNumber: 2,
    layouts: map(
      [
        { layoutNumber: 19, name: 'DK. std. m. bankoplys. 1.5' },
        { layoutNumber: 20, name: 'DK. std. m. girokort 1.5' },
        { layoutNumber: 21, name: 'Eng. std. m. bankoplys. 1.5' },
      ],
      (l) => l.layoutNumber,
    ),
    paymentTerms: map(paymentTerms, (p) => p.paymentTermsNumber),
    nextPaymentTermsNumber: 6,
    vatZones: map(vatZones, (z) => z.vatZoneNumber),
    accounts: map(accounts, (a) => a.accountNumber),
    vatCodes: new Map([['U25', { vatCode: 'U25', name: 'Salgsmoms 25%', ratePercentage: 25 }]]),
    journals: map(journals, (j) => j.journalNumber),
    accountingYears: map(
      [year - 1, year].map((y) => ({ year: String(y), fromDate: `${y}-01-01`, toDate: `${y}-12-31` })),
      (y) => y.year,
    ),
    drafts: new Map(),
    nextDraftNumber: 1,
    booked: new Map(),
    nextBookedNumber: 1,
    vouchers: new Map(),
    nextEntryNumber: 1,

    requests: [],
    faults: null,
    rateLimit: null,
    webhooks: [],
  };
}
