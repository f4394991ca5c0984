import type { Handler } from '../core/http';
import { Router } from '../core/router';
import { registerAccounts } from './accounts';
import { registerBooked } from './booked';
import { registerCustomerGroups } from './customer-groups';
import { registerCustomers } from './customers';
import { registerDrafts } from './drafts';
import { registerJournals } from './journals';
import { registerLayouts } from './layouts';
import { registerPaymentTerms } from './payment-terms';
import { registerProductGroups } from './product-groups';
import { registerProducts } from './products';
import { type AppInfo, registerSelf } from './self';
import { registerUnits } from './units';
import { registerVatZones } from './vat-zones';

/** The e-conomic REST API the sandbox serves. */
export function apiRouter(app: AppInfo): Router<Handler> {
  const r = new Router<Handler>();
  registerSelf(r, app);
  registerCustomers(r);
  registerCustomerGroups(r);
  registerProducts(r);
  registerProductGroups(r);
  registerUnits(r);
  registerLayouts(r);
  registerPaymentTerms(r);
  registerVatZones(r);
  registerAccounts(r);
  registerDrafts(r);
  registerBooked(r);
  registerJournals(r);
  return r;
}
