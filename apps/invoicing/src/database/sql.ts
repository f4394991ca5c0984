/**
 * Small helpers for the hot paths, which use plain SQL (one round trip per step, no query-builder
 * work per call). TypeORM answers UPDATE and DELETE with `[rows, rowCount]` instead of the rows, so
 * statements with RETURNING go through `rowsOf`.
 */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export async function rowsOf<T>(runner: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await runner.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** A value written as SQL (e.g. `now()` or `attempts + 1`) instead of a parameter. */
export class Raw {
  constructor(readonly sql: string) {}
}
export const raw = (sql: string) => new Raw(sql);

/** `UPDATE table SET … WHERE … [RETURNING …]` from column → value maps (snake_case column names). */
export function updateStatement(table: string, set: Record<string, unknown>, where: Record<string, unknown>, extraWhere = '', returning = ''): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const value = (v: unknown) => {
    if (v instanceof Raw) return v.sql;
    params.push(v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v);
    return `$${params.length}`;
  };
  const sets = Object.entries(set).map(([column, v]) => `${column} = ${value(v)}`);
  const conditions = Object.entries(where).map(([column, v]) => `${column} = ${value(v)}`);
  const sql = `UPDATE ${table} SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')}${extraWhere ? ` AND ${extraWhere}` : ''}${returning ? ` RETURNING ${returning}` : ''}`;
  return { sql, params };
}
