import { numericId } from '../core/id-encoding';
import type { PagedList } from '../core/pagination';
import type { RequestCore, RequestOptions } from '../core/request';
import { APIResource, type ListParams } from '../core/resource';
import type { Journal, JournalEntry, Voucher, VoucherInput } from '../types/journals';

/** `/journals`. */
export class Journals extends APIResource {
  list(params?: ListParams): PagedList<Journal> {
    return this._list('/journals', params);
  }

  async get(journalNumber: number, options?: RequestOptions): Promise<Journal> {
    return this._request('GET', `/journals/${numericId(journalNumber, 'journalNumber')}`, options);
  }

  /** `/journals/:journalNumber/vouchers`. */
  vouchers(journalNumber: number): JournalVouchers {
    return new JournalVouchers(this._core, journalNumber);
  }

  /** `/journals/:journalNumber/entries`: entries not yet booked. */
  entries(journalNumber: number): JournalEntries {
    return new JournalEntries(this._core, journalNumber);
  }
}

export class JournalVouchers extends APIResource {
  readonly #journalNumber: number;
  readonly #base: string;

  constructor(core: RequestCore, journalNumber: number) {
    super(core);
    this.#journalNumber = journalNumber;
    this.#base = `/journals/${numericId(journalNumber, 'journalNumber')}/vouchers`;
  }

  list(params?: ListParams): PagedList<Voucher> {
    return this._list(this.#base, params);
  }

  /** Creates one or many vouchers; e-conomic answers 201 with an array either way. Never repeated automatically. */
  async create(voucher: VoucherInput | VoucherInput[], options?: RequestOptions): Promise<Voucher[]> {
    const withJournal = (v: VoucherInput): VoucherInput => ({ journal: { journalNumber: this.#journalNumber }, ...v });
    const body = Array.isArray(voucher) ? voucher.map(withJournal) : withJournal(voucher);
    const created = await this._request<Voucher[] | Voucher>('POST', this.#base, { ...options, body });
    return Array.isArray(created) ? created : [created];
  }
}

export class JournalEntries extends APIResource {
  readonly #base: string;

  constructor(core: RequestCore, journalNumber: number) {
    super(core);
    this.#base = `/journals/${numericId(journalNumber, 'journalNumber')}/entries`;
  }

  list(params?: ListParams): PagedList<JournalEntry> {
    return this._list(this.#base, params);
  }
}
