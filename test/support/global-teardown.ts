import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const { embeddedPg: pg, embeddedPgDir: dir } = globalThis as {
    embeddedPg?: { stop(): Promise<void> };
    embeddedPgDir?: string;
  };
  if (pg) {
    await pg.stop();
    // Each run's server is its own: its gigabyte of data would otherwise stay behind in the temp folder.
    if (dir) rmSync(dir, { recursive: true, force: true });
    return;
  }
  // On a server we were given, leave nothing behind.
  const admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
  await admin.connect();
  const { rows } = await admin.query(
    `SELECT datname FROM pg_database WHERE datname LIKE 'comment_desk_%' AND datname LIKE $1`,
    [`%_${process.pid}%`],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
}
