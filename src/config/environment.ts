import { plainToInstance, Transform } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  IsUrl,
  validateSync,
} from 'class-validator';
import { availableParallelism } from 'node:os';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;
const MAX_WORKERS = 64;
const WORKERS_MESSAGE = `WORKERS must be a whole number, 1 to ${MAX_WORKERS}, or auto`;

/** The environment the service reads, checked once at boot. */
export class Environment {
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL: string;

  /**
   * Processes that serve on PORT (node:cluster): above 1, dist/src/main forks that many workers and
   * watches them (src/workers.ts). `auto`: one per CPU this process may run on.
   */
  @IsOptional()
  @Transform(({ value }) =>
    value === undefined || value === ''
      ? 1
      : value === 'auto'
        ? Math.min(MAX_WORKERS, availableParallelism())
        : /^\d+$/.test(String(value))
          ? Number(value)
          : NaN,
  )
  @IsInt({ message: WORKERS_MESSAGE })
  @Min(1, { message: WORKERS_MESSAGE })
  @Max(MAX_WORKERS, { message: WORKERS_MESSAGE })
  WORKERS: number = 1;

  /** Read replicas of DATABASE_URL, comma-separated: anonymous readers' pages are read from them. */
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((url) => url.trim())
          .filter((url) => url !== '')
      : value,
  )
  @IsArray({ message: 'DATABASE_REPLICA_URLS must be postgres:// connection URLs, comma-separated' })
  @Matches(POSTGRES_URL, {
    each: true,
    message: 'DATABASE_REPLICA_URLS must be postgres:// connection URLs, comma-separated',
  })
  DATABASE_REPLICA_URLS: string[] = [];

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters long' })
  JWT_SECRET?: string;

  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key' })
  JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @IsIn(['on', 'off'], { message: 'RATE_LIMITS must be on or off' })
  RATE_LIMITS: 'on' | 'off' = 'on';

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 20 : Number(value)))
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number' })
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE: number = 20;

  /**
   * Whose X-Forwarded-For to believe, so that the per-address limit counts clients, not the proxy:
   * `true` (any), a number of hops, or addresses and CIDRs (or `loopback`, `uniquelocal`), comma-separated.
   */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value))
  @Matches(/^(true|false|\d{1,3}|[\w:./]+(\s*,\s*[\w:./]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or addresses and CIDRs, comma-separated',
  })
  TRUST_PROXY?: string;

  /** Event streams one instance holds open; beyond it, 503. Unset: what its heap and open-files limit allow. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'LIVE_MAX_CONNECTIONS must be a whole number' })
  @Min(0)
  LIVE_MAX_CONNECTIONS?: number;

  /**
   * Percent of the V8 heap limit in use above which no new event stream is admitted (503 with
   * Retry-After), whatever their count: streams arriving together cost far more than at rest.
   */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'LIVE_HEAP_HIGH_WATER_PERCENT must be a whole number, 10 to 95' })
  @Min(10, { message: 'LIVE_HEAP_HIGH_WATER_PERCENT must be a whole number, 10 to 95' })
  @Max(95, { message: 'LIVE_HEAP_HIGH_WATER_PERCENT must be a whole number, 10 to 95' })
  LIVE_HEAP_HIGH_WATER_PERCENT?: number;

  /** Event streams set up at once (the request, the article's read, the catch-up); more wait briefly, or get 503. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'LIVE_SETUP_CONCURRENCY must be a whole number, 1 to 10000' })
  @Min(1, { message: 'LIVE_SETUP_CONCURRENCY must be a whole number, 1 to 10000' })
  @Max(10000, { message: 'LIVE_SETUP_CONCURRENCY must be a whole number, 1 to 10000' })
  LIVE_SETUP_CONCURRENCY?: number;

  /** Seconds between heartbeats on idle event streams: under the idle timeout of every proxy on the way. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'LIVE_HEARTBEAT_SECONDS must be a whole number of seconds, 1 to 300' })
  @Min(1, { message: 'LIVE_HEARTBEAT_SECONDS must be a whole number of seconds, 1 to 300' })
  @Max(300, { message: 'LIVE_HEARTBEAT_SECONDS must be a whole number of seconds, 1 to 300' })
  LIVE_HEARTBEAT_SECONDS?: number;

  /** Seconds a client has to send a request's head; then its connection is closed with 408. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 15 : Number(value)))
  @IsInt({ message: 'REQUEST_HEADERS_TIMEOUT_SECONDS must be a whole number of seconds, 1 to 600' })
  @Min(1, { message: 'REQUEST_HEADERS_TIMEOUT_SECONDS must be a whole number of seconds, 1 to 600' })
  @Max(600, { message: 'REQUEST_HEADERS_TIMEOUT_SECONDS must be a whole number of seconds, 1 to 600' })
  REQUEST_HEADERS_TIMEOUT_SECONDS: number = 15;

  /**
   * Seconds a client has to send a request's body once its head is in; then 408. An import's
   * upload may take longer, as long as each such period brings some of it (see request-timeouts.ts).
   */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt({ message: 'REQUEST_BODY_TIMEOUT_SECONDS must be a whole number of seconds, 1 to 3600' })
  @Min(1, { message: 'REQUEST_BODY_TIMEOUT_SECONDS must be a whole number of seconds, 1 to 3600' })
  @Max(3600, { message: 'REQUEST_BODY_TIMEOUT_SECONDS must be a whole number of seconds, 1 to 3600' })
  REQUEST_BODY_TIMEOUT_SECONDS: number = 60;

  /** Where the console's "Sign in" sends moderators (with `return_to`); the login comes back with `#token=`. */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    {
      message: 'DESK_LOGIN_URL must be an http(s) URL',
    },
  )
  DESK_LOGIN_URL?: string;

  /**
   * Where people reach this service (such as https://comments.news.example), for links in what it
   * sends out (emails' confirmation and unsubscribe links, a Slack alert's link to the console).
   * Unset: http://localhost:PORT (publicUrl()).
   */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : typeof value === 'string' ? value.replace(/\/+$/, '') : value))
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'PUBLIC_URL must be an http(s) URL' },
  )
  PUBLIC_URL?: string;

  /** `npm start` only: the demo threads come with readers' comments, a few held and one reported. */
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'DEMO_COMMENTS must be on or off' })
  DEMO_COMMENTS: 'on' | 'off' = 'on';

  /** When set, GET /api/metrics needs it in the X-Metrics-Token header; empty means unset. */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsString()
  METRICS_TOKEN?: string;

  /** off: nothing is delivered (webhooks, emails, Slack); what happens still waits in the outbox for an instance that delivers. */
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'DELIVERIES must be on or off' })
  DELIVERIES: 'on' | 'off' = 'on';

  /** Tries after the first before a delivery becomes a dead letter: 13 retries from 20 s, doubling with jitter, last about three days. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 13 : Number(value)))
  @IsInt({ message: 'DELIVERY_RETRY_LIMIT must be a whole number, 0 to 30' })
  @Min(0)
  @Max(30)
  DELIVERY_RETRY_LIMIT: number = 13;

  /** The first retry's delay, in seconds; each later one doubles it, with jitter. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 20 : Number(value)))
  @IsInt({ message: 'DELIVERY_RETRY_DELAY_SECONDS must be a whole number, 1 to 3600' })
  @Min(1)
  @Max(3600)
  DELIVERY_RETRY_DELAY_SECONDS: number = 20;

  /** A delivery whose instance went away is tried again after this long (seconds). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 120 : Number(value)))
  @IsInt({ message: 'DELIVERY_EXPIRE_SECONDS must be a whole number, 5 to 3600' })
  @Min(5)
  @Max(3600)
  DELIVERY_EXPIRE_SECONDS: number = 120;

  /** on: webhooks and Slack may reach receivers on this machine (loopback), for tests and local trials; other private addresses stay refused. */
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'DELIVERY_ALLOW_LOOPBACK must be on or off' })
  DELIVERY_ALLOW_LOOPBACK: 'on' | 'off' = 'off';

  /** The SMTP server that sends email (smtp:// or smtps://, with credentials in the URL). */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value))
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The sender of every email, such as `Comment Desk <comments@news.example>`. */
  @IsOptional()
  @IsString()
  MAIL_FROM: string = 'Comment Desk <comment-desk@localhost>';

  /**
   * on: emails are kept in the database instead of sent, and shown to admins (npm start turns it
   * on when SMTP_URL is unset). Without SMTP_URL and with it off, Comment Desk sends no email.
   */
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'MAIL_CATCHER must be on or off' })
  MAIL_CATCHER: 'on' | 'off' = 'off';

  /** How often each instance looks for readers' digests that are due, in seconds. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt({ message: 'NOTIFICATION_SWEEP_SECONDS must be a whole number, 1 to 3600' })
  @Min(1)
  @Max(3600)
  NOTIFICATION_SWEEP_SECONDS: number = 60;
}

/** Validates process.env; the error names each bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const problems = validateSync(env).flatMap((e) => Object.values(e.constraints ?? {}));
  if (!env.JWT_SECRET && !env.JWT_PUBLIC_KEY) problems.push('JWT_SECRET (or JWT_PUBLIC_KEY) must be set');
  if (problems.length > 0) throw new Error(`Invalid environment:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return env;
}

/** The service's address as people reach it, without a trailing slash. */
export function publicUrl(env: Pick<Environment, 'PUBLIC_URL' | 'PORT'>): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
}

/** TRUST_PROXY as Fastify takes it: unset trusts no one, so X-Forwarded-For is ignored. */
export function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
