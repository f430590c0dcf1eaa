import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { embeddedPg?: { stop(): Promise<void> } }).embeddedPg;
  if (pg) {
    await pg.stop();
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
