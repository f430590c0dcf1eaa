import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { importCli } from '../../src/imports/import-cli';
import { storedAndRecountedArticleCounts, storedAndRecountedReplyCounts } from './recount';
import { expectStatus, until } from './expect';
import type { TestApp } from './test-app';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'imports');
export const fixture = (name: string) => join(FIXTURES, name);

/** Uploads a fixture through the admin API; returns the response (202 with the job, or a problem). */
export function uploadImport(
  t: TestApp,
  token: string,
  name: string,
  query: Record<string, string>,
  contentType = 'application/xml',
) {
  return t
    .http()
    .post('/api/admin/imports')
    .query(query)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', contentType)
    .send(readFileSync(fixture(name), 'utf8')); // (a Buffer, superagent would encode as JSON for a JSON type)
}

/** Polls the job until it has succeeded or failed; returns it. */
export function finishedJob(t: TestApp, token: string, id: string) {
  return until(`import ${id} finishes`, 20_000, async () => {
    const res = await t.http().get(`/api/admin/imports/${id}`).set('Authorization', `Bearer ${token}`);
    const job = expectStatus(res, 200);
    return ['succeeded', 'failed'].includes(job.status) ? job : undefined;
  });
}

/** `npm run import -- ARGS` against the test app's database; its exit code and output. */
export async function runImportCli(t: TestApp, args: string[]) {
  process.env.DATABASE_URL = t.databaseUrl;
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await importCli(args, { out, err });
  return { code, stdout, stderr };
}

/** Every stored count of every article (and every reply count) equals a recount. */
export async function expectCountsRecounted(t: TestApp) {
  const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM articles`);
  const ids = rows.map((r) => r.id);
  const articles = await storedAndRecountedArticleCounts(t, ids);
  expect(articles.stored).toEqual(articles.recounted);
  const replies = await storedAndRecountedReplyCounts(t, ids);
  expect(replies.stored).toEqual(replies.recounted);
}
