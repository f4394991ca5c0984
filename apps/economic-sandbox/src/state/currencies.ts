import type { AgreementType } from './types';

/** Fixed exchange rates: the price in DKK of 100 units. The sandbox has no daily rates. */
const DKK_PER_100: Record<string, number> = {
  DKK: 100,
  EUR: 746,
  USD: 690,
  GBP: 870,
  SEK: 65,
  NOK: 63,
};

export function isKnownCurrency(code: string): boolean {
  return code in DKK_PER_100;
}

export function baseCurrency(type: AgreementType): string {
  return type === 'sweden' ? 'SEK' : type === 'norway' ? 'NOK' : 'DKK';
}

/** e-conomic's exchangeRate: the base-currency price of 100 units of `code`. */
export function exchangeRate(code: string, base: string): number {
  const r = ((DKK_PER_100[code] ?? 100) / (DKK_PER_100[base] ?? 100)) * 100;
  return Number(r.toFixed(6));
}
