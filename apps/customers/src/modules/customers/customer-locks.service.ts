import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerBusyError } from './customers.errors';

/** How long a request waits for another one working on the same customer. */
export const LOCK_WAIT_MS = 25_000;

/**
 * Serialises work on one customer across requests and replicas with PostgreSQL session advisory
 * locks. Every key of the customer is locked (in a fixed order, so two requests never deadlock), so
 * two orders for the same new customer, one with the shop's id and one with only the e-mail, still
 * meet. A waiting request holds no connection: it tries, lets go and tries again.
 */
@Injectable()
export class CustomerLocks {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` holding every lock; all its queries must use the given manager (the lock's connection). */
  async withLocks<T>(names: string[], work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const sorted = [...new Set(names)].sort();
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      let held = false;
      try {
        held = await this.tryLockAll(runner.manager, sorted);
        if (held) return await work(runner.manager);
      } finally {
        await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
        await runner.release();
      }
      const waited = Date.now() - started;
      if (waited > LOCK_WAIT_MS) throw new CustomerBusyError(waited);
      await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** Math.min(attempt, 3), 200) * (0.5 + Math.random() / 2)));
    }
  }

  private async tryLockAll(m: EntityManager, names: string[]): Promise<boolean> {
    for (const name of names) {
      const rows: { ok: boolean }[] = await m.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`, [name]);
      if (!rows[0]?.ok) return false;
    }
    return true;
  }
}
