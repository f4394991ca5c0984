import type { RequestOptions } from '../core/request';
import { APIResource } from '../core/resource';
import type { Self } from '../types/self';

/** `/self`: the agreement, company and app the tokens belong to. */
export class SelfResource extends APIResource {
  async get(options?: RequestOptions): Promise<Self> {
    return this._request('GET', '/self', options);
  }
}
