import type { Collection } from '../types/common';
import { type Filter, sortParam } from './filter';
import { DEFAULT_PAGE_SIZE, PagedList } from './pagination';
import type { HttpMethod, RequestCore, RequestOptions, RequestParams } from './request';

/** Parameters of every `list()`. */
export interface ListParams extends Omit<RequestOptions, 'idempotent'> {
  /** A `filter` builder expression, or a hand-written filter string (used as is). */
  filter?: Filter | string;
  /** `name`, `-name` (descending), `~name` (alphabetical); several keys as an array or comma-separated. */
  sort?: string | readonly string[];
  /** Items per request, 1–1000 (default 1000). */
  pageSize?: number;
  /** The page to start from (0-based). */
  skipPages?: number;
}

const responseMetaStore = new WeakMap<object, ResponseMeta>();

/** Status and headers of the response an object came from (e.g. `location` of a 201). */
export interface ResponseMeta {
  status: number;
  headers: Record<string, string>;
  location?: string;
}

export function responseMeta(value: unknown): ResponseMeta | undefined {
  return typeof value === 'object' && value !== null ? responseMetaStore.get(value) : undefined;
}

/** A resource holds only the request core; each method is one call (openai-node's `APIResource`). */
export abstract class APIResource {
  protected readonly _core: RequestCore;

  constructor(core: RequestCore) {
    this._core = core;
  }

  protected async _request<T>(method: HttpMethod, path: string, params?: RequestParams): Promise<T> {
    const response = await this._core.request<T>(method, path, params);
    const data = response.data;
    if (typeof data === 'object' && data !== null) {
      const meta: ResponseMeta = { status: response.status, headers: response.headers };
      if (response.location) meta.location = response.location;
      responseMetaStore.set(data, meta);
    }
    return data;
  }

  protected _list<T>(path: string, params: ListParams = {}): PagedList<T> {
    const { filter, sort, pageSize = DEFAULT_PAGE_SIZE, skipPages = 0, ...options } = params;
    const filterText = filter === undefined ? undefined : String(filter);
    const sortText = sort === undefined ? undefined : sortParam(sort);
    return new PagedList<T>(
      (page, size) =>
        this._request<Collection<T>>('GET', path, {
          ...options,
          query: { skippages: page, pagesize: size, filter: filterText || undefined, sort: sortText },
        }),
      pageSize,
      skipPages,
    );
  }
}
