import { DataSource, Migration } from 'typeorm';
import { applyDatabaseFunctions } from './database-functions';

/** Any fixed 64-bit number; instances that start together take turns on it. */
const MIGRATION_LOCK_KEY = 7_305_118_342;

/**
 * Runs pending migrations, then brings the database functions to their files
 * (migrations/functions/), under a PostgreSQL advisory lock, so several instances can boot at once.
 * `run`: how the versioned migrations run (the TypeORM CLI passes its own options).
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  run: () => Promise<Migration[]> = () => dataSource.runMigrations({ transaction: 'each' }),
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await run();
    const functions = await applyDatabaseFunctions(runner);
    return [...applied.map((m) => m.name), ...functions.map((name) => `${name}()`)];
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
