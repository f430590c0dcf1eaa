import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { TAKE } from './postgres-throttler.storage';

export interface TokenBucket {
  key: string;
  /** Tokens at once; after that, one more every perSeconds / limit seconds. */
  limit: number;
  perSeconds: number;
}

/**
 * Takes one token from each bucket (the rate limits' table, shared by every instance) inside the
 * caller's transaction, so that a unit of work that fails or is refused gives its tokens back: the
 * caller rolls back when this answers the bucket that was empty, with the seconds until it has a
 * token again.
 */
export async function takeToken(
  manager: EntityManager,
  buckets: TokenBucket[],
): Promise<{ empty: TokenBucket; retryAfterSeconds: number } | null> {
  const { rows } = await sql<{ key: string; tokens: number; granted: number }>(manager, TAKE, [
    buckets.map((b) => b.key),
    buckets.map(() => 1),
    buckets.map((b) => b.limit),
    buckets.map((b) => b.perSeconds),
  ]);
  for (const bucket of buckets) {
    const row = rows.find((r) => r.key === bucket.key)!;
    if (row.granted < 1)
      return {
        empty: bucket,
        retryAfterSeconds: Math.max(1, Math.ceil(((1 - row.tokens) * bucket.perSeconds) / bucket.limit)),
      };
  }
  return null;
}
