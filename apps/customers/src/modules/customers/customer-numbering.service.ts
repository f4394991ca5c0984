import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerStore, Scope } from './customer-store.service';
import { EconomicRejectedError } from './customers.errors';
import { EconomicCustomers, EconomicSession, TAKEN_WINDOW } from './economic-customers.service';

export const MAX_CUSTOMER_NUMBER = 999_999_999;

/** The numbers of one creation: the next free number each time it is asked. */
export interface NumberSequence {
  /** The next number ≥ `floor` that no one has been handed and that e-conomic does not have. */
  next(floor?: number): Promise<number>;
}

/**
 * `customerNumbering: "sequence"`: numbers from `customerNumberStart` upwards. The cursor lives in
 * PostgreSQL (handed out atomically, so concurrent requests and replicas never pick the same
 * number), and every candidate is checked against the numbers e-conomic already has — other shops
 * on the same agreement, customers made by hand — with one call per 1000 numbers.
 */
@Injectable()
export class CustomerNumbering {
  constructor(
    private readonly store: CustomerStore,
    private readonly economic: EconomicCustomers,
  ) {}

  sequence(s: EconomicSession, m: EntityManager, scope: Scope): NumberSequence {
    const start = s.settings.customerNumberStart;
    let window: { from: number; taken: Set<number> } | undefined;
    return {
      next: async (floor = start) => {
        let wanted = Math.max(start, floor);
        for (let attempt = 0; attempt < 100; attempt++) {
          const n = await this.store.reserveNumber(m, scope, start, wanted);
          if (n > MAX_CUSTOMER_NUMBER) {
            throw new EconomicRejectedError(
              `the customer number sequence has no numbers left above ${start} (e-conomic allows at most ${MAX_CUSTOMER_NUMBER}): choose a lower customerNumberStart in the settings`,
              [{ field: 'customerNumberStart', message: 'no free customer numbers left' }],
            );
          }
          if (!window || n < window.from || n >= window.from + TAKEN_WINDOW) window = { from: n, taken: await this.economic.takenNumbers(s, n) };
          if (!window.taken.has(n)) {
            window.taken.add(n); // a second call (after E06010) moves on
            return n;
          }
          let free = n;
          while (window.taken.has(free) && free < window.from + TAKEN_WINDOW) free++;
          wanted = free;
        }
        throw new EconomicRejectedError(`no free customer number found from ${floor}: too many numbers are taken in e-conomic; choose another customerNumberStart in the settings`);
      },
    };
  }
}
