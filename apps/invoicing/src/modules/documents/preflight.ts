import type { Order, OrderLine, Settings, Shipping } from '@bogholder/contracts';
import { InvoicingErrorCode, ParkError } from '../economic/invoicing-errors';
import { chargedShipping, glnCheckDigit, isEanInvoice, totalLineProduct } from './draft-builder';

/** e-conomic's limits. */
export const MAX_PRODUCT_NUMBER_LENGTH = 25;
export const MAX_INVOICE_NUMBER = 999_999_999;

interface Problem {
  code: string;
  message: string;
}

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

/**
 * Everything that can be checked without asking e-conomic, reported together so the admin fixes it
 * all at once. `forInvoice` adds the invoice-only checks (booking number, EAN).
 */
export function staticProblems(order: Order, lines: OrderLine[], shipping: Shipping | undefined, settings: Settings, forInvoice: boolean): Problem[] {
  const problems: Problem[] = [];
  if (settings.productLayout === 'lines') {
    const long = [...new Set(lines.map((l) => l.sku).filter((sku) => sku.length > MAX_PRODUCT_NUMBER_LENGTH))];
    if (long.length) {
      problems.push({
        code: InvoicingErrorCode.SkuTooLong,
        message: `SKU ${long.map((s) => `"${s}" (${s.length} characters)`).join(', ')} ${long.length > 1 ? 'are' : 'is'} longer than the ${MAX_PRODUCT_NUMBER_LENGTH} characters e-conomic allows for a product number: shorten the SKU in the shop and create the product in e-conomic with it, or use productLayout "total"`,
      });
    }
    const charged = chargedShipping(shipping);
    if (charged && !settings.shippingProductNumber) {
      problems.push({
        code: InvoicingErrorCode.ShippingProductMissing,
        message: `the order has shipping (${money(charged.amount, order.currency)}) but shippingProductNumber is not set: set it in the settings to the e-conomic product used for shipping`,
      });
    }
  } else {
    const rates = [...new Set([...lines.map((l) => l.vatRate), ...(chargedShipping(shipping) ? [shipping!.vatRate] : [])])];
    const unmapped = rates.filter((rate) => !totalLineProduct(settings, rate));
    if (unmapped.length) {
      problems.push({
        code: InvoicingErrorCode.TotalLineProductMissing,
        message: `the order has lines with ${unmapped.map((r) => `${r}%`).join(', ')} VAT but totalLineProducts has no product for ${unmapped.map((r) => `"${r}"`).join(', ')}: add ${unmapped.map((r) => `"${r}": "<product number>"`).join(', ')} to totalLineProducts in the settings (an e-conomic product whose group books that VAT rate)`,
      });
    }
  }
  if (forInvoice && settings.bookingMode === 'bookWithNumber') {
    const number = settings.invoiceNumberOffset + order.orderNumber;
    if (number > MAX_INVOICE_NUMBER) {
      problems.push({
        code: InvoicingErrorCode.InvoiceNumberOutOfRange,
        message: `bookWithNumber would give invoice number ${number} (invoiceNumberOffset ${settings.invoiceNumberOffset} + order number ${order.orderNumber}), above e-conomic's maximum ${MAX_INVOICE_NUMBER}: lower invoiceNumberOffset or use bookingMode "book"`,
      });
    }
  }
  if (forInvoice && isEanInvoice(order, settings)) {
    const ean = order.customer.ean!;
    const check = glnCheckDigit(ean);
    if (check === null || check !== Number(ean[12])) {
      problems.push({
        code: InvoicingErrorCode.EanInvalid,
        message: `the customer's EAN ${ean} is not a valid GLN location number${check === null ? ' (it must be 13 digits)' : ` (its check digit should be ${check})`}: correct the customer's EAN in the shop and send the order again (order.updated)`,
      });
    }
    if (!order.customer.eanContactName) {
      problems.push({
        code: InvoicingErrorCode.EanReferenceContactMissing,
        message: 'Reference contact must be provided: an EAN invoice needs the customer\'s reference person ("Deres reference"). Set eanContactName on the order\'s customer in the shop and send the order again (order.updated), or turn eanInvoicing off',
      });
    }
  }
  return problems;
}

/** Throws one ParkError for all problems (the first one's code). */
export function parkOn(problems: Problem[]): void {
  if (!problems.length) return;
  const message = problems.map((p) => p.message).join('. Also: ');
  throw new ParkError(problems[0]!.code, `${message}. Then retry the transfer.`);
}

/** Product numbers the document refers to, with what each is for (to name them when missing). */
export function referencedProducts(lines: OrderLine[], shipping: Shipping | undefined, settings: Settings): Map<string, 'sku' | 'shipping' | 'total'> {
  const products = new Map<string, 'sku' | 'shipping' | 'total'>();
  if (settings.productLayout === 'lines') {
    for (const line of lines) products.set(line.sku, 'sku');
    if (chargedShipping(shipping) && settings.shippingProductNumber) products.set(settings.shippingProductNumber, 'shipping');
  } else {
    const rates = [...lines.map((l) => l.vatRate), ...(chargedShipping(shipping) ? [shipping!.vatRate] : [])];
    for (const rate of rates) {
      const product = totalLineProduct(settings, rate);
      if (product) products.set(product, 'total');
    }
  }
  return products;
}

/** The message for products that do not exist in e-conomic, naming every one and what it is for. */
export function missingProductsError(missing: string[], roles: Map<string, 'sku' | 'shipping' | 'total'>): ParkError {
  const skus = missing.filter((m) => roles.get(m) === 'sku');
  const parts: string[] = [];
  if (skus.length) {
    parts.push(
      `${skus.length > 1 ? 'SKUs' : 'SKU'} ${skus.map((s) => `"${s}"`).join(', ')} ${skus.length > 1 ? 'do' : 'does'} not exist as ${skus.length > 1 ? 'products' : 'a product'} in e-conomic: ` +
        `create ${skus.length > 1 ? 'them' : 'it'} in e-conomic under Sales → Products with exactly ${skus.length > 1 ? 'these product numbers' : 'this product number'} (varenummer)`,
    );
  }
  for (const m of missing.filter((x) => roles.get(x) === 'shipping')) {
    parts.push(`the shipping product "${m}" (settings.shippingProductNumber) does not exist in e-conomic: create it under Sales → Products or change the setting`);
  }
  const totals = missing.filter((x) => roles.get(x) === 'total');
  if (totals.length) {
    parts.push(`the total-line ${totals.length > 1 ? 'products' : 'product'} ${totals.map((t) => `"${t}"`).join(', ')} (settings.totalLineProducts) ${totals.length > 1 ? 'do' : 'does'} not exist in e-conomic: create ${totals.length > 1 ? 'them' : 'it'} under Sales → Products or change the setting`);
  }
  const message = parts.join('. Also: ');
  return new ParkError(InvoicingErrorCode.ProductsMissing, `${message}. Then retry the transfer.`, { details: { missing } });
}
