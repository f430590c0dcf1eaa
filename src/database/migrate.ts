import { DataSource } from 'typeorm';

/** Any fixed 64-bit number; instances that start together take turns on it. */
const MIGRATION_LOCK_KEY = 7_305_118_342;

/** Runs pending migrations under a PostgreSQL advisory lock, so several instances can boot at once. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
