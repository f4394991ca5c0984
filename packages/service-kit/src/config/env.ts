import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';

/** Thrown at start-up with every bad variable listed at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const DEV_TOKEN_KEY = Buffer.from('bogholder-development-only-key!!').toString('base64');
export const DEV_DEFAULTS = {
  ECONOMIC_APP_SECRET_TOKEN: 'sandbox-app-secret',
  ECONOMIC_APP_PUBLIC_TOKEN: 'sandbox-app-public',
  TOKEN_ENCRYPTION_KEY: DEV_TOKEN_KEY,
  ADMIN_TOKEN: 'dev-admin-token',
} as const;

const urlOptions = { require_tld: false, require_protocol: true };

/** Variables every service reads (CONTRACT.md §1). Each has a working local default. */
export class BaseEnv {
  @IsIn(['development', 'test', 'production']) NODE_ENV: 'development' | 'test' | 'production' = 'development';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  @IsString() HOST = '127.0.0.1';
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/bogholder' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/bogholder';
  /** The schema this service owns; defaults to the service name. */
  @Matches(/^([a-z_][a-z0-9_]{0,62})?$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' }) DATABASE_SCHEMA = '';
  @IsInt() @Min(1) @Max(100) DATABASE_POOL_SIZE = 10;
  /** Run migrations at start (under an advisory lock, so replicas may start together). */
  @IsIn(['true', 'false']) DATABASE_MIGRATE = 'true';
  @Matches(/^(nats|tls|ws|wss):\/\/[^,\s]+(,(nats|tls|ws|wss):\/\/[^,\s]+)*$/, { message: 'NATS_URL must be nats://host:port (comma-separated for a cluster)' })
  NATS_URL = 'nats://127.0.0.1:4222';
  /** Prefix for subjects and streams, to run several environments on one NATS server; empty in production. */
  @Matches(/^[a-z0-9_-]*$/i, { message: 'NATS_NAMESPACE may only contain letters, digits, - and _' }) NATS_NAMESPACE = '';
  @IsUrl(urlOptions, { message: 'ECONOMIC_API_URL must be a URL such as https://restapi.e-conomic.com' }) ECONOMIC_API_URL = 'http://127.0.0.1:3900';
  @IsString() @Matches(/^\S{6,}$/, { message: 'ECONOMIC_APP_SECRET_TOKEN must be the app secret token from your e-conomic developer agreement' })
  ECONOMIC_APP_SECRET_TOKEN: string = DEV_DEFAULTS.ECONOMIC_APP_SECRET_TOKEN;
  /** 32 random bytes, base64 (openssl rand -base64 32): encrypts grant tokens at rest and on the bus. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'TOKEN_ENCRYPTION_KEY must be 32 bytes in base64 (generate one with: openssl rand -base64 32)' })
  TOKEN_ENCRYPTION_KEY: string = DEV_DEFAULTS.TOKEN_ENCRYPTION_KEY;
  /** Comma-separated earlier keys that still decrypt while a key rotation is under way (docs/operations.md). */
  @Matches(/^([A-Za-z0-9+/]{43}=(,[A-Za-z0-9+/]{43}=)*)?$/, { message: 'TOKEN_ENCRYPTION_KEY_PREVIOUS must be comma-separated 32-byte base64 keys' })
  TOKEN_ENCRYPTION_KEY_PREVIOUS = '';
  /** Requests per agreement: burst and refill of the client's token bucket (e-conomic's own: 2000 / 30 per s). */
  @IsInt() @Min(1) ECONOMIC_BUDGET_BURST = 2000;
  @IsInt() @Min(1) ECONOMIC_BUDGET_REFILL_PER_SECOND = 30;
  @IsInt() @Min(100) ECONOMIC_TIMEOUT_MS = 30_000;
}

const SECRETS: (keyof typeof DEV_DEFAULTS)[] = ['ECONOMIC_APP_SECRET_TOKEN', 'TOKEN_ENCRYPTION_KEY', 'ADMIN_TOKEN'];

/**
 * Reads and validates `cls` from the environment. Numbers are converted, unknown variables are
 * ignored, and every problem is reported in one error. In production the development defaults of
 * secrets are refused.
 */
export function loadEnv<T extends BaseEnv>(cls: new () => T, source: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof T, unknown>> = {}): T {
  const defaults = new cls();
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    const raw = overrides[key] ?? source[key];
    if (raw === undefined || raw === '') continue;
    plain[key] = typeof defaults[key] === 'number' && typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  }
  const env = plainToInstance(cls, { ...defaults, ...plain });
  const problems = validateSync(env, { forbidUnknownValues: false, stopAtFirstError: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m} (got ${JSON.stringify((plain as Record<string, unknown>)[e.property] ?? (defaults as Record<string, unknown>)[e.property])})`),
  );
  if (env.NODE_ENV === 'production') {
    for (const key of SECRETS) {
      if (key in env && (env as Record<string, unknown>)[key] === DEV_DEFAULTS[key]) {
        problems.push(`${key}: must be set to a real secret in production (the development default is refused)`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return env;
}
