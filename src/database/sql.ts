import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { isUnavailable } from '../errors/pg-errors';

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `q${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** TypeORM's pools: the primary's, and one per read replica (none without DATABASE_REPLICA_URLS). */
function pools(on: EntityManager | DataSource): { master: Pool; slaves: Pool[] } {
  return (on instanceof DataSource ? on : on.connection).driver as PostgresDriver as unknown as {
    master: Pool;
    slaves: Pool[];
  };
}

/** One read replica, chosen once so that several reads (a page and the version that keys it) see the same one. */
export interface Replica {
  readonly pool: Pool;
}

export interface SqlOptions {
  /**
   * Read on a replica: `true` for the next one, or the one pickReplica() chose. Without replicas
   * the primary answers; in a transaction the option is ignored (it reads its own writes).
   */
  replica?: boolean | Replica;
  /**
   * Planned with its values every time, not prepared: for statements whose best plan depends on
   * them (a search for a common word walks an index by date; a rare one goes through the text index).
   */
  planEachTime?: boolean;
}

let turn = 0;
/** A replica that could not be reached is left alone this long; its readers go elsewhere. */
const REPLICA_REST_MS = 5_000;
const restingUntil = new WeakMap<Pool, number>();
const logger = new Logger('Replicas');

/** The next replica in turn that is not resting; undefined (meaning the primary) when there is none. */
export function pickReplica(on: EntityManager | DataSource): Replica | undefined {
  const { slaves } = pools(on);
  for (let tried = 0; tried < slaves.length; tried++) {
    turn = (turn + 1) % slaves.length;
    if ((restingUntil.get(slaves[turn]) ?? 0) <= Date.now()) return { pool: slaves[turn] };
  }
  return undefined;
}

/**
 * An anonymous reader's reads, all on one replica; when it cannot be reached, all of them again
 * on the primary (redone whole, so that a page and the version that keys it come from one
 * server), and the replica rests for a few seconds. A replica down costs readers nothing.
 */
export async function readOnReplica<T>(on: DataSource, work: (from: SqlOptions) => Promise<T>): Promise<T> {
  const replica = pickReplica(on);
  if (!replica) return work({ replica: false });
  try {
    return await work({ replica });
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    restingUntil.set(replica.pool, Date.now() + REPLICA_REST_MS);
    logger.warn(`A read failed on a replica (${(error as Error).message}); redone on the primary`);
    return work({ replica: false });
  }
}

/**
 * Runs one statement as a named (prepared) statement, in the transaction of `on` when it is a
 * transaction's manager, else on the pool: the primary's, or a replica's when `options.replica`
 * asks for one. PostgreSQL plans a named statement once per connection: for the short indexed
 * statements of this service, planning cost more than running.
 * (A transaction-pooling proxy such as PgBouncer must keep prepared statements per client.)
 */
export async function sql<T = Record<string, unknown>>(
  on: EntityManager | DataSource,
  text: string,
  values: unknown[] = [],
  options: SqlOptions = {},
): Promise<SqlResult<T>> {
  const config = options.planEachTime ? { text, values } : { name: nameOf(text), text, values };
  const runner = on instanceof DataSource ? undefined : (on.queryRunner as PostgresQueryRunner | undefined);
  let result;
  if (runner && !runner.isReleased) {
    result = await ((await runner.connect()) as PoolClient).query(config);
  } else {
    const replica = options.replica === true ? pickReplica(on) : options.replica || undefined;
    result = await (replica?.pool ?? pools(on).master).query(config);
  }
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}
