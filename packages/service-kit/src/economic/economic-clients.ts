import { Inject, Injectable } from '@nestjs/common';
import { EconomicClient } from '@bogholder/economic-client';
import { BaseEnv } from '../config/env';
import { TokenCipher } from '../config/token-cipher';
import { Metrics } from '../metrics/metrics';
import { SERVICE_ENV } from '../tokens';

/** One e-conomic client per agreement, built from the encrypted grant token, sharing the agreement's request budget. */
@Injectable()
export class EconomicClients {
  private readonly cache = new Map<string, EconomicClient>();

  constructor(
    @Inject(SERVICE_ENV) private readonly env: BaseEnv,
    private readonly cipher: TokenCipher,
    private readonly metrics: Metrics,
  ) {}

  forEncryptedToken(sealed: string): EconomicClient {
    let client = this.cache.get(sealed);
    if (!client) {
      client = this.forToken(this.cipher.decrypt(sealed));
      if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(sealed, client);
    }
    return client;
  }

  forToken(agreementGrantToken: string): EconomicClient {
    return new EconomicClient({
      appSecretToken: this.env.ECONOMIC_APP_SECRET_TOKEN,
      agreementGrantToken,
      baseUrl: this.env.ECONOMIC_API_URL,
      timeoutMs: this.env.ECONOMIC_TIMEOUT_MS,
      budget: { burst: this.env.ECONOMIC_BUDGET_BURST, refillPerSecond: this.env.ECONOMIC_BUDGET_REFILL_PER_SECOND },
      onRequest: (e) => this.metrics.observeEconomic(e),
    });
  }
}
