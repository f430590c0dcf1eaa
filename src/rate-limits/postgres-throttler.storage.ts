import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { DataSource } from 'typeorm';
import { BatchedLookup } from '../database/batched-lookup';
import { sql } from '../database/sql';

/**
 * What the proposed row carries into ON CONFLICT: its `tokens + granted` is the limit, its
 * `expires_at - now()` the ttl, and its `granted` the requests asking, capped at the limit
 * (a full bucket cannot grant more, so capping changes no answer).
 */
const LIMIT = `(EXCLUDED.tokens + EXCLUDED.granted)`;
const TTL = `EXTRACT(EPOCH FROM EXCLUDED.expires_at - now())`;
/**
 * Tokens after refilling at `limit` per `ttl` since the last take, capped at `limit`. now() is when
 * this statement's transaction started, which can precede the take of a concurrent statement that
 * held the row's lock and committed first: time never runs backwards here, or a negative refill
 * would round down to -1 token "taken", giving one back.
 */
const ELAPSED = `GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at))`;
const REFILLED = `LEAST(${LIMIT}, b.tokens + ${ELAPSED} * ${LIMIT} / ${TTL})`;
const TAKEN = `GREATEST(0, LEAST(EXCLUDED.granted, floor(${REFILLED})))`;

/**
 * Takes `n` requests from each bucket: a token bucket per key, `limit` requests at once, then one
 * more every ttl/limit. Keys are distinct within one statement.
 */
export const TAKE = `
  INSERT INTO rate_limit_buckets AS b (key, tokens, granted, allowed, updated_at, expires_at)
  SELECT i.key, i.lim - t.take, t.take, t.take >= 1, now(), now() + make_interval(secs => i.ttl)
    FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[]) AS i(key, n, lim, ttl)
    CROSS JOIN LATERAL (SELECT LEAST(i.n, floor(i.lim))::int AS take) t
  ON CONFLICT (key) DO UPDATE SET
    granted = ${TAKEN},
    allowed = ${TAKEN} >= 1,
    tokens = ${REFILLED} - ${TAKEN},
    updated_at = GREATEST(b.updated_at, now()),
    expires_at = EXCLUDED.expires_at
  RETURNING key, tokens, granted`;

interface Bucket {
  limit: number;
  ttlSeconds: number;
}

/**
 * @nestjs/throttler's storage on PostgreSQL, so that every instance shares one limit. Every
 * request counts against its address, so the takes of concurrent requests go in one statement
 * per round trip (in arrival order within a key), each sent after its requests arrived.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  /** The limit and ttl that each key's waiting requests asked with, until their batch is sent. */
  private readonly asked = new Map<string, Bucket>();
  private readonly takes = new BatchedLookup<ThrottlerStorageRecord>(async (batch) => {
    const keys = [...batch.keys()];
    const buckets = new Map(keys.map((key) => [key, this.asked.get(key)!]));
    keys.forEach((key) => this.asked.delete(key));
    const { rows } = await sql<{ key: string; tokens: number; granted: number }>(this.dataSource, TAKE, [
      keys,
      [...batch.values()],
      keys.map((key) => buckets.get(key)!.limit),
      keys.map((key) => buckets.get(key)!.ttlSeconds),
    ]);
    return new Map(
      rows.map(({ key, tokens, granted }) => {
        const { limit, ttlSeconds } = buckets.get(key)!;
        const secondsPerToken = ttlSeconds / limit;
        const records = Array.from({ length: batch.get(key)! }, (_, i): ThrottlerStorageRecord => {
          const allowed = i < granted;
          const left = allowed ? tokens + (granted - 1 - i) : tokens; // the bucket after this request's take
          return {
            totalHits: allowed ? limit - Math.floor(left) : limit + 1,
            timeToExpire: Math.ceil((limit - left) * secondsPerToken),
            isBlocked: !allowed,
            timeToBlockExpire: Math.max(1, Math.ceil((1 - left) * secondsPerToken)),
          };
        });
        return [key, records];
      }),
    );
  });

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    // Requests on one key in one batch share a limit: it changes only with the settings.
    this.asked.set(key, { limit, ttlSeconds: ttlMs / 1000 });
    return (await this.takes.get(key))!;
  }

  /** Forgets buckets that have been full for a while. */
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_buckets WHERE expires_at < now() - interval '1 minute'`);
  }
}
