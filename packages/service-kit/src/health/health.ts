import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { Bus } from '@bogholder/messaging';

@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly bus: Bus,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'nats') {
    const indicator = this.indicators.check(key);
    try {
      const rttMs = await this.bus.ping();
      return indicator.up({ rttMs });
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }
}

/** `/health`: 200 `{"status":"ok",...}` only when the database and NATS answer; 503 otherwise. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.nats.check()]);
  }
}
