import { BadRequestError, ErrorCode } from './errors';
import { type FieldSpec, parseFilter } from './filter';
import type { Ctx, Reply } from './http';
import { parseSort } from './sort';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface ListSpec<T> {
  /** Filterable and sortable properties. */
  fields: FieldSpec;
  /** The default sort property (ascending). */
  defaultSort: string;
  render: (item: T) => unknown;
}

function intParam(ctx: Ctx, name: string, fallback: number, min: number): number {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new BadRequestError(
      `The query parameter '${name}' must be an integer of at least ${min}.`,
      'Use skippages (0-based page index) and pagesize (1-1000).',
      ErrorCode.invalidPaging,
    );
  }
  return Number(raw);
}

/**
 * Answers a collection in e-conomic's envelope, honouring `filter`, `sort`, `skippages` and
 * `pagesize`. `path` is the collection's path, used for the absolute paging links.
 */
export function collection<T>(ctx: Ctx, path: string, items: Iterable<T>, spec: ListSpec<T>): Reply {
  const all = Array.isArray(items) ? (items as T[]) : Array.from(items);
  const skipPages = intParam(ctx, 'skippages', 0, 0);
  const requested = intParam(ctx, 'pagesize', DEFAULT_PAGE_SIZE, 1);
  const pageSize = Math.min(requested, MAX_PAGE_SIZE);
  const filter = ctx.query.get('filter');
  const sort = ctx.query.get('sort');

  const predicate = filter !== undefined && filter !== '' ? parseFilter(filter, spec.fields) : undefined;
  const comparator = parseSort(sort, spec.fields, spec.defaultSort);
  const matching = predicate ? all.filter(predicate) : all.slice();
  matching.sort(comparator);

  const results = matching.length;
  const lastIndex = Math.max(0, Math.ceil(results / pageSize) - 1);
  const page = matching.slice(skipPages * pageSize, skipPages * pageSize + pageSize);

  const extra =
    (filter ? `&filter=${encodeURIComponent(filter)}` : '') + (sort ? `&sort=${encodeURIComponent(sort)}` : '');
  const link = (n: number): string => ctx.links.url(`${path}?skippages=${n}&pagesize=${pageSize}${extra}`);

  const pagination: Record<string, unknown> = {
    maxPageSizeAllowed: MAX_PAGE_SIZE,
    skipPages,
    pageSize,
    results,
    resultsWithoutFilter: all.length,
    firstPage: link(0),
  };
  if (skipPages > 0) pagination.previousPage = link(Math.min(skipPages - 1, lastIndex));
  if (skipPages < lastIndex) pagination.nextPage = link(skipPages + 1);
  pagination.lastPage = link(lastIndex);
  if (requested > MAX_PAGE_SIZE) {
    pagination.developerHint = `The requested pagesize ${requested} is larger than the maximum of ${MAX_PAGE_SIZE}; ${MAX_PAGE_SIZE} was used.`;
  }

  return {
    status: 200,
    body: {
      collection: page.map(spec.render),
      metaData: {},
      pagination,
      self: link(skipPages),
    },
  };
}
