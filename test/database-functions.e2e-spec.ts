import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import {
  applyDatabaseFunctions,
  FunctionFile,
  inDependencyOrder,
  readFunctionFiles,
} from '../src/database/database-functions';
import { createTestDatabase } from './support/test-app';

/** Functions that versioned migrations own: trigger functions and those a CHECK constraint uses. */
const MIGRATION_FUNCTIONS = [
  'moderation_log_append_only',
  'user_notes_append_only',
  'whole_between',
  'valid_rate_limit',
  'valid_rate_limits',
  'valid_reason_labels',
];

/**
 * A file's text as pg_get_functiondef() gives the function back. PostgreSQL keeps the body as
 * written, but not what is outside it: the comments and any DROP before the CREATE are not stored,
 * and the statement's closing semicolon is not part of the definition. The files write the header
 * (schema-qualified name, RETURNS, LANGUAGE and volatility each on its line, `$function$`) in the
 * very form PostgreSQL prints it, so nothing else needs normalizing.
 */
function asStored(text: string): string {
  const create = text.indexOf('CREATE OR REPLACE FUNCTION');
  return text.slice(create).trimEnd().replace(/;$/, '');
}

describe('database functions (migrations/functions/)', () => {
  const files = readFunctionFiles();
  let dataSource: DataSource;
  let runner: QueryRunner;
  let db: Client;

  beforeAll(async () => {
    const url = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    runner = dataSource.createQueryRunner();
    await runner.connect();
    db = new Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await runner?.release();
    await dataSource?.destroy();
  });

  it.each(files.map((f) => [f.name, f]))('%s() is in the database exactly as its file has it', async (name, file) => {
    const { rows } = await db.query<{ def: string }>(
      `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace AND p.proname = $1`,
      [name],
    );
    expect(rows.map((r) => r.def.trimEnd())).toEqual([asStored((file as FunctionFile).text)]);
  });

  it('has no function of its own but the files and those the migrations own', async () => {
    const { rows } = await db.query<{ name: string }>(
      `SELECT p.proname AS name FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
       ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([...files.map((f) => f.name), ...MIGRATION_FUNCTIONS].sort());
  });

  it('remembers the checksum of every file it applied', async () => {
    const { rows } = await db.query(`SELECT name, checksum FROM database_functions ORDER BY name`);
    expect(rows).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })));
  });

  it('applies a file again when its text changes, and leaves the unchanged ones', async () => {
    const before = await appliedAt();
    expect(await applyDatabaseFunctions(runner, files)).toEqual([]);
    expect(await appliedAt()).toEqual(before);

    const edited = files.map((f) =>
      f.name === 'comment_status_listed'
        ? withText(f, f.text.replace('  SELECT p_status IN', '  SELECT (p_status) IN'))
        : f,
    );
    expect(await applyDatabaseFunctions(runner, edited)).toEqual(['comment_status_listed']);
    const {
      rows: [{ def }],
    } = await db.query(`SELECT pg_get_functiondef('comment_status_listed'::regproc) AS def`);
    expect(def).toContain('SELECT (p_status) IN');
    const after = await appliedAt();
    for (const f of files.filter((f) => f.name !== 'comment_status_listed'))
      expect(after[f.name]).toEqual(before[f.name]);
    expect(await applyDatabaseFunctions(runner, edited)).toEqual([]);

    // Back to the file as it is, as the next boot would do.
    expect(await applyDatabaseFunctions(runner, files)).toEqual(['comment_status_listed']);
  });

  it('drops the function of a file that is gone, and changes nothing when a file fails', async () => {
    await db.query(`CREATE FUNCTION gone() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
    await db.query(`INSERT INTO database_functions (name, checksum) VALUES ('gone', 'x')`);
    expect(await applyDatabaseFunctions(runner, files)).toEqual(['gone']);
    expect((await db.query(`SELECT 1 FROM pg_proc WHERE proname = 'gone'`)).rowCount).toBe(0);

    // json_timestamp comes early in the order, post_comments_across (which no longer parses) last.
    const edited = files.map((f) =>
      f.name === 'json_timestamp'
        ? withText(f, f.text.replace("'UTC'", "'utc'"))
        : f.name === 'post_comments_across'
          ? withText(f, f.text.replace('END LOOP;', 'END LOOOP;'))
          : f,
    );
    const order = inDependencyOrder(edited).map((f) => f.name);
    expect(order.indexOf('json_timestamp')).toBeLessThan(order.indexOf('post_comments_across'));
    await expect(applyDatabaseFunctions(runner, edited)).rejects.toThrow(/LOOOP/);
    const {
      rows: [{ def }],
    } = await db.query(`SELECT pg_get_functiondef('json_timestamp'::regproc) AS def`);
    expect(def).toContain("'UTC'");
  });

  it('orders the files so that each comes after the functions it calls', () => {
    const ordered = inDependencyOrder(files).map((f) => f.name);
    const at = (name: string) => ordered.indexOf(name);
    expect(at('comment_status_listed')).toBeLessThan(at('comment_listed'));
    expect(at('json_timestamp')).toBeLessThan(at('comment_view'));
    expect(at('post_comments')).toBeLessThan(at('post_comments_across'));
    const cycle = [withText(files[0], 'CREATE b() ...'), { ...withText(files[1], 'CREATE a() ...') }];
    cycle[0].name = 'a';
    cycle[1].name = 'b';
    expect(() => inDependencyOrder(cycle)).toThrow(/cycle: a -> b -> a/);
  });

  async function appliedAt(): Promise<Record<string, string>> {
    const { rows } = await db.query<{ name: string; at: string }>(
      `SELECT name, applied_at::text AS at FROM database_functions`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.at]));
  }
});

function withText(f: FunctionFile, text: string): FunctionFile {
  return { ...f, text, checksum: `${f.checksum}+${text.length}` };
}
