import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrationsLocked } from '../../src/database/migrate';
import { databaseUrl } from './database-url';

/**
 * Once per run: a PostgreSQL (embedded unless DATABASE_URL is given) and a migrated template
 * database; each test file copies the template into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  build();
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'comment-desk-test-'));
    chmodSync(dir, 0o755); // the server runs as its own user, who must be able to enter it
    const pg = await startEmbeddedPostgres(dir, {
      flags: [
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
    });
    Object.assign(globalThis, { embeddedPg: pg, embeddedPgDir: dir });
    serverUrl = pg.url;
  }
  const template = `comment_desk_template_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const dataSource = new DataSource(dataSourceOptions(databaseUrl(serverUrl, template)));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();

  process.env.TEST_SERVER_URL = serverUrl;
  process.env.TEST_TEMPLATE_DB = template;
  process.env.TEST_RUN_ID = String(process.pid);
}

const root = resolve(__dirname, '../..');

/**
 * dist/ as `npm run build` makes it (each part skipped when its sources have not changed): some
 * tests run the built service, whose OpenAPI document carries what the Nest CLI's plugin adds at
 * build time, and the browser tests load the embed and the console as the service serves them.
 * Once per run, before the test files start, so that no two of them build at once.
 */
function build(): void {
  // `npm run generate` writes the OpenAPI document that the front ends' types come from: a front end
  // that already uses a new field would not build before it, so there only the service is built.
  const parts = process.env.UPDATE_GENERATED ? ['server'] : [];
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), ...parts], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`The build failed:\n${result.stderr}`);
}
