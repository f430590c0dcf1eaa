import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrationsLocked } from '../../src/database/migrate';
import { buildDistIfStale } from './build-dist';
import { databaseUrl } from './database-url';

/**
 * Once per run: a PostgreSQL (embedded unless DATABASE_URL is given) and a migrated template
 * database; each test file copies the template into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  buildDistIfStale();
  buildEmbed();
  buildDesk();
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
    (globalThis as { embeddedPg?: typeof pg }).embeddedPg = pg;
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
const bin = (...path: string[]) => join(root, 'node_modules', ...path);

function run(what: string, args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed:\n${result.stdout}\n${result.stderr}`);
}

/** The browser tests load the embed as the service serves it: built from web/embed/ first. */
function buildEmbed(): void {
  run('Building the embed', [bin('vite', 'bin', 'vite.js'), 'build', '--config', 'web/embed/vite.config.mts']);
}

/** The console, as `npm run build:desk` makes it: its API client generated from docs/openapi.json, type-checked, built. */
function buildDesk(): void {
  run("Generating the console's API types", [
    bin('openapi-typescript', 'bin', 'cli.js'),
    'docs/openapi.json',
    '-o',
    'web/desk/src/api/openapi.d.ts',
    '--silent',
  ]);
  run('Type-checking the console', [bin('typescript', 'bin', 'tsc'), '-p', 'web/desk/tsconfig.json']);
  run('Building the console', [bin('vite', 'bin', 'vite.js'), 'build', '--config', 'web/desk/vite.config.mts']);
}
