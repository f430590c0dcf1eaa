import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

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

/**
 * Runs one statement as a named (prepared) statement, in the transaction of `on` when it is a
 * transaction's manager, else on the pool. PostgreSQL plans a named statement once per
 * connection: for the short indexed statements of this service, planning cost more than running.
 * (A transaction-pooling proxy such as PgBouncer must keep prepared statements per client.)
 */
export async function sql<T = Record<string, unknown>>(
  on: EntityManager | DataSource,
  text: string,
  values: unknown[] = [],
): Promise<SqlResult<T>> {
  const config = { name: nameOf(text), text, values };
  const runner = on instanceof DataSource ? undefined : (on.queryRunner as PostgresQueryRunner | undefined);
  const result =
    runner && !runner.isReleased
      ? await ((await runner.connect()) as PoolClient).query(config)
      : await ((on instanceof DataSource ? on : on.connection).driver as PostgresDriver as unknown as { master: Pool }).master.query(config);
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}
