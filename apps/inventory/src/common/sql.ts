import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * Runs an UPDATE/DELETE … RETURNING and answers its rows. (TypeORM's PostgreSQL driver answers
 * `[rows, rowCount]` for UPDATE and DELETE, but only the rows for SELECT and INSERT.)
 */
export async function returning<T>(db: DataSource | EntityManager | QueryRunner, query: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await db.query(query, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
