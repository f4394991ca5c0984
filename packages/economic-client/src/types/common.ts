/** Shapes shared by every resource (economic-api.md §3). Responses may carry more fields than typed here. */

/** `pagination` of a collection envelope. `nextPage` is left out on the last page. */
export interface Pagination {
  maxPageSizeAllowed: number;
  skipPages: number;
  pageSize: number;
  /** Items matching the filter, across all pages. */
  results: number;
  resultsWithoutFilter: number;
  firstPage: string;
  nextPage?: string;
  previousPage?: string;
  lastPage: string;
  developerHint?: string;
}

/** e-conomic's collection envelope. */
export interface Collection<T> {
  collection: T[];
  metaData?: Record<string, unknown>;
  pagination: Pagination;
  self: string;
}

/** An action a resource allows, under `metaData` (e.g. `delete`, `replace`). */
export interface MetaDataAction {
  description?: string;
  href: string;
  httpMethod: string;
}

export type MetaData = Record<string, MetaDataAction | undefined>;

// References: every reference accepts the number (or `self`); responses carry both.
export interface AccountRef { accountNumber: number; self?: string }
export interface CustomerRef { customerNumber: number; self?: string }
export interface CustomerContactRef { customerContactNumber: number; self?: string }
export interface CustomerGroupRef { customerGroupNumber: number; self?: string }
export interface DeliveryLocationRef { deliveryLocationNumber: number; self?: string }
export interface DepartmentalDistributionRef { departmentalDistributionNumber: number; self?: string }
export interface EmployeeRef { employeeNumber: number; self?: string }
export interface LayoutRef { layoutNumber: number; self?: string }
export interface PaymentTermsRef { paymentTermsNumber: number; self?: string }
export interface ProductRef { productNumber: string; self?: string }
export interface ProductGroupRef { productGroupNumber: number; self?: string }
export interface ProjectRef { projectNumber: number; self?: string }
export interface UnitRef { unitNumber: number; self?: string }
export interface VatZoneRef { vatZoneNumber: number; self?: string }
export interface VatAccountRef { vatCode: string; self?: string }

/** A full date, `YYYY-MM-DD`. */
export type DateString = string;
