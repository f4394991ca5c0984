import { numericId } from '../core/id-encoding';
import type { PagedList } from '../core/pagination';
import type { RequestCore, RequestOptions } from '../core/request';
import { APIResource, type ListParams } from '../core/resource';
import type {
  BookedInvoice,
  BookInvoiceParams,
  DeletedDraftInvoices,
  DraftInvoice,
  DraftInvoiceInput,
  DraftInvoiceLineInput,
} from '../types/invoices';

/** `/invoices/drafts`. */
export class DraftInvoices extends APIResource {
  /** The collection leaves `lines` out; `get()` includes them. */
  list(params?: ListParams): PagedList<DraftInvoice> {
    return this._list('/invoices/drafts', params);
  }

  async get(draftInvoiceNumber: number, options?: RequestOptions): Promise<DraftInvoice> {
    return this._request('GET', `/invoices/drafts/${numericId(draftInvoiceNumber, 'draftInvoiceNumber')}`, options);
  }

  /**
   * Creates the draft (never books it). Not repeated on an unclear failure: put an order id in
   * `references.other` and look it up after an `EconomicOutcomeUnknownError`.
   */
  async create(body: DraftInvoiceInput, options?: RequestOptions): Promise<DraftInvoice> {
    return this._request('POST', '/invoices/drafts', { ...options, body });
  }

  /** Full replace. Changing `customer` does not refresh `recipient`. */
  async update(draftInvoiceNumber: number, body: DraftInvoiceInput, options?: RequestOptions): Promise<DraftInvoice> {
    return this._request('PUT', `/invoices/drafts/${numericId(draftInvoiceNumber, 'draftInvoiceNumber')}`, { ...options, body });
  }

  /** e-conomic answers 200 with `{ message, deletedCount, deletedItems }`. */
  async delete(draftInvoiceNumber: number, options?: RequestOptions): Promise<DeletedDraftInvoices> {
    return this._request('DELETE', `/invoices/drafts/${numericId(draftInvoiceNumber, 'draftInvoiceNumber')}`, options);
  }

  /** `POST /invoices/drafts/:n/lines` with `{ lines }`; answers the draft. */
  async addLines(draftInvoiceNumber: number, lines: DraftInvoiceLineInput[], options?: RequestOptions): Promise<DraftInvoice> {
    return this._request('POST', `/invoices/drafts/${numericId(draftInvoiceNumber, 'draftInvoiceNumber')}/lines`, {
      ...options,
      body: { lines },
    });
  }
}

/** `/invoices/booked`. */
export class BookedInvoices extends APIResource {
  list(params?: ListParams): PagedList<BookedInvoice> {
    return this._list('/invoices/booked', params);
  }

  async get(bookedInvoiceNumber: number, options?: RequestOptions): Promise<BookedInvoice> {
    return this._request('GET', `/invoices/booked/${numericId(bookedInvoiceNumber, 'bookedInvoiceNumber')}`, options);
  }

  /**
   * Books a draft (`POST /invoices/booked`); the draft disappears. Never repeated automatically: after an
   * `EconomicOutcomeUnknownError`, check whether the draft still exists (or whether `bookWithNumber` is taken).
   */
  async book(params: BookInvoiceParams, options?: RequestOptions): Promise<BookedInvoice> {
    const body: Record<string, unknown> = {
      draftInvoice: { draftInvoiceNumber: params.draftInvoiceNumber },
    };
    if (params.bookWithNumber !== undefined) body.bookWithNumber = params.bookWithNumber;
    if (params.sendBy !== undefined) body.sendBy = params.sendBy;
    return this._request('POST', '/invoices/booked', { ...options, body });
  }
}

/** `client.invoices.drafts` and `client.invoices.booked`. */
export class Invoices {
  readonly drafts: DraftInvoices;
  readonly booked: BookedInvoices;

  constructor(core: RequestCore) {
    this.drafts = new DraftInvoices(core);
    this.booked = new BookedInvoices(core);
  }
}
