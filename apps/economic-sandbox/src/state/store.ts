import { randomBytes } from 'node:crypto';
import { seedAgreement } from './seed';
import type { Agreement } from './types';

interface Grant {
  agreementNumber: number;
  revoked: boolean;
}

export const DEFAULT_COMPANY_NAME = 'Sandbox ApS';
const FIRST_AGREEMENT_NUMBER = 1_000_001;

/**
 * Every agreement and grant token the sandbox knows. Agreement numbers keep counting up across
 * resets, so a number (like a token) from before a reset never names a new agreement.
 */
export class Store {
  readonly agreements = new Map<number, Agreement>();
  private readonly grants = new Map<string, Grant>();
  private nextAgreementNumber = FIRST_AGREEMENT_NUMBER;

  constructor() {
    this.reset();
  }

  /** Forget everything, including every grant token; one fresh default agreement. */
  reset(): Agreement {
    this.agreements.clear();
    this.grants.clear();
    return this.addAgreement(DEFAULT_COMPANY_NAME);
  }

  addAgreement(companyName?: string): Agreement {
    const n = this.nextAgreementNumber++;
    const agreement = seedAgreement(n, companyName ?? (this.agreements.size === 0 ? DEFAULT_COMPANY_NAME : `${DEFAULT_COMPANY_NAME} ${n}`));
    this.agreements.set(n, agreement);
    return agreement;
  }

  first(): Agreement {
    const first = this.agreements.values().next().value;
    if (!first) throw new Error('the sandbox has no agreement');
    return first;
  }

  issueGrant(agreementNumber: number): string {
    const token = randomBytes(24).toString('base64url');
    this.grants.set(token, { agreementNumber, revoked: false });
    return token;
  }

  /** Revokes a grant token (the user removed the app). Returns false when the token is unknown. */
  revoke(token: string): boolean {
    const g = this.grants.get(token);
    if (!g) return false;
    g.revoked = true;
    return true;
  }

  /** The grant behind a token, or undefined for a token the sandbox never issued (or forgot). */
  grant(token: string): { agreement: Agreement | undefined; revoked: boolean } | undefined {
    const g = this.grants.get(token);
    if (!g) return undefined;
    return { agreement: this.agreements.get(g.agreementNumber), revoked: g.revoked };
  }
}
