import type { Ctx, Handler } from '../core/http';
import type { Router } from '../core/router';
import { baseCurrency } from '../state/currencies';
import type { Agreement } from '../state/types';
import { ok } from './common';

const AGREEMENT_TYPE_NUMBERS = { denmark: 1, sweden: 2, norway: 3 } as const;
const LANGUAGES = {
  denmark: { languageNumber: 1, name: 'Danish', culture: 'da-DK' },
  sweden: { languageNumber: 3, name: 'Swedish', culture: 'sv-SE' },
  norway: { languageNumber: 4, name: 'Norwegian', culture: 'nb-NO' },
} as const;

export interface AppInfo {
  appPublicToken: string;
}

export function renderSelf(ctx: Ctx, a: Agreement, app: AppInfo) {
  const url = (p: string) => ctx.links.url(p);
  const language = LANGUAGES[a.agreementType];
  const modules = [
    { moduleNumber: 3, name: 'Indscanning' },
    ...(a.inventoryModule ? [{ moduleNumber: 15, name: 'Lager' }] : []),
  ];
  return {
    agreementNumber: a.agreementNumber,
    agreementType: { agreementTypeNumber: AGREEMENT_TYPE_NUMBERS[a.agreementType], name: a.agreementType },
    userName: 'sandbox',
    signupDate: a.signupDate,
    user: {
      loginId: 'sandbox',
      email: 'sandbox@example.com',
      name: 'Sandbox User',
      language: { ...language, self: url(`/languages/${language.languageNumber}`) },
      agreementNumber: a.agreementNumber,
    },
    company: {
      addressLine1: 'Sandkassen 1',
      zip: '1000',
      city: 'København K',
      country: 'Danmark',
      name: a.companyName,
      phoneNumber: '+4512345678',
      attention: 'Bogholderiet',
      email: 'bogholderi@example.com',
      companyIdentificationNumber: a.cvr ?? undefined,
    },
    bankInformation: { bankName: 'Sandbox Bank', bankSortCode: '1234', bankAccountNumber: '1234567890' },
    application: {
      appNumber: 1,
      name: 'bogholder (sandbox)',
      appPublicToken: app.appPublicToken,
      created: a.signupDate,
      requiredRoles: [{ roleNumber: 2, name: 'SuperUser', self: url('/app-roles/2') }],
      self: url('/apps/1'),
    },
    settings: { baseCurrency: baseCurrency(a.agreementType) },
    companyAffiliation: 'e-conomic',
    canSendElectronicInvoice: a.canSendElectronicInvoice,
    modules: modules.map((m) => ({ ...m, self: url(`/modules/agreement/${m.moduleNumber}`) })),
    self: url('/self'),
  };
}

export function registerSelf(r: Router<Handler>, app: AppInfo): void {
  r.get('/self', (ctx) => ok(renderSelf(ctx, ctx.agreement, app)));
}
