import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';

/** Tokens after refilling at `limit` per `ttl` since the last request, capped at `limit`. */
const REFILLED = `LEAST($2::float8, b.tokens + EXTRACT(EPOCH FROM now() - b.updated_at) * $2 / $3)`;

/**
 * @nestjs/throttler's storage on PostgreSQL, so that every instance shares one limit. Each key is
 * a token bucket: `limit` requests at once, then one more every ttl/limit, taken in one statement.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    const ttlSeconds = ttlMs / 1000;
    const {
      rows: [{ tokens, allowed }],
    } = await sql<{ tokens: number; allowed: boolean }>(
      this.dataSource,
      `INSERT INTO rate_limit_buckets AS b (key, tokens, allowed, updated_at, expires_at)
       VALUES ($1, $2::float8 - 1, true, now(), now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET
         allowed = ${REFILLED} >= 1,
         tokens = CASE WHEN ${REFILLED} >= 1 THEN ${REFILLED} - 1 ELSE ${REFILLED} END,
         updated_at = now(),
         expires_at = now() + make_interval(secs => $3)
       RETURNING tokens, allowed`,
      [key, limit, ttlSeconds],
    );
    const secondsPerToken = ttlSeconds / limit;
    return {
      totalHits: allowed ? limit - Math.floor(tokens) : limit + 1,
      timeToExpire: Math.ceil((limit - tokens) * secondsPerToken),
      isBlocked: !allowed,
      timeToBlockExpire: Math.max(1, Math.ceil((1 - tokens) * secondsPerToken)),
    };
  }

  /** Forgets buckets that have been full for a while. */
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_buckets WHERE expires_at < now() - interval '1 minute'`);
  }
}
