/**
 * Lists over e-conomic's `skippages`/`pagesize` paging. A `PagedList` is lazy: nothing is fetched until
 * it is iterated.
 *
 *   for await (const customer of client.customers.list({ filter, sort: '-name' })) { … }
 *   const all = await client.customers.list().toArray();
 *   for await (const page of client.customers.list({ pageSize: 100 }).pages()) { page.items … }
 */
import type { Collection, Pagination } from '../types/common';

/** e-conomic caps `pagesize` at 1000. */
export const MAX_PAGE_SIZE = 1000;
/** The client's default page size: the maximum, to spend as few requests as possible. */
export const DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE;

export interface Page<T> {
  items: T[];
  /** 0-based page index. */
  skipPages: number;
  pageSize: number;
  pagination?: Pagination;
  hasNextPage: boolean;
  self?: string;
}

export type PageFetcher<T> = (skipPages: number, pageSize: number) => Promise<Collection<T>>;

export class PagedList<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;
  readonly #pageSize: number;
  readonly #startPage: number;

  constructor(fetchPage: PageFetcher<T>, pageSize: number = DEFAULT_PAGE_SIZE, startPage = 0) {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
    }
    if (!Number.isInteger(startPage) || startPage < 0) throw new RangeError(`skipPages must be an integer >= 0, got ${startPage}`);
    this.#fetchPage = fetchPage;
    this.#pageSize = pageSize;
    this.#startPage = startPage;
  }

  /** Fetches one page (by default the first page of this list). */
  async page(skipPages: number = this.#startPage): Promise<Page<T>> {
    const body = await this.#fetchPage(skipPages, this.#pageSize);
    const items = Array.isArray(body?.collection) ? body.collection : [];
    const pagination = body?.pagination;
    const hasNextPage =
      items.length > 0 && (pagination ? typeof pagination.nextPage === 'string' : items.length >= this.#pageSize);
    const page: Page<T> = { items, skipPages, pageSize: this.#pageSize, hasNextPage };
    if (pagination) page.pagination = pagination;
    if (body?.self) page.self = body.self;
    return page;
  }

  /** Iterates page by page. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    for (let skipPages = this.#startPage; ; skipPages++) {
      const page = await this.page(skipPages);
      yield page;
      if (!page.hasNextPage) return;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages()) out.push(...page.items);
    return out;
  }

  /** The first item (fetched with `pagesize=1`), or undefined when the list is empty. */
  async first(): Promise<T | undefined> {
    const body = await this.#fetchPage(this.#startPage * this.#pageSize, 1);
    return Array.isArray(body?.collection) ? body.collection[0] : undefined;
  }
}
