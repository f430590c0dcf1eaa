import { join } from 'node:path';
import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import { runMigrationsLocked } from './migrate';

export const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');
/**
 * Every feature's entities, found by their file names (compiled or not) rather than listed here:
 * this folder sits below the features and imports none of them.
 */
export const ENTITIES_GLOB = join(__dirname, '..', '**', '*.entity.{ts,js}');

/**
 * With `replicaUrls`, TypeORM opens one pool per replica too (each with the same `extra`). Its
 * query builder would send every SELECT outside a transaction to a replica; `defaultMode: 'master'`
 * keeps all of TypeORM's work (migrations, transactions, finds) on the primary, and only the reads
 * that ask for a replica through sql() go to one.
 */
export function dataSourceOptions(
  url: string,
  overrides: Partial<DataSourceOptions> = {},
  replicaUrls: string[] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    ...(replicaUrls.length > 0
      ? {
          replication: {
            master: { url },
            slaves: replicaUrls.map((replica) => ({ url: replica })),
            defaultMode: 'master',
          },
        }
      : {}),
    entities: [ENTITIES_GLOB],
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    ...overrides,
  } as DataSourceOptions;
}

/**
 * For the TypeORM CLI (npm run migration:run): reads DATABASE_URL. Its migrations run as a booting
 * instance runs them: under the advisory lock, followed by the database functions.
 */
class MigratingDataSource extends DataSource {
  override async runMigrations(options?: Parameters<DataSource['runMigrations']>[0]): Promise<Migration[]> {
    let applied: Migration[] = [];
    await runMigrationsLocked(this, async () => (applied = await super.runMigrations(options)));
    return applied;
  }
}

export default new MigratingDataSource(dataSourceOptions(process.env.DATABASE_URL ?? ''));
