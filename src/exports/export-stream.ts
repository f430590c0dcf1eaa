import { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** The comment-desk format: its version, in the header line of every export. */
export const EXPORT_FORMAT_VERSION = 1;

/** `{"type":TYPE,"data":ROW}`, the row as json (compact, its columns in table order). */
const line = (type: string, row: string, rest = '') =>
  `'{"type":"${type}","data":' || to_json(${row})::text${rest} || '}'`;

/**
 * What an export holds, in the order an import needs it: who and where before comments, comments
 * before what refers to them. Each line is `{ "type", "data" }`, `data` the table's row with its
 * column names (comments also carry their `revisions`). Counts are included, and recomputed on
 * import. Each line is made by PostgreSQL: Node only joins them.
 */
const SECTIONS = [
  { type: 'settings', query: `SELECT ${line('settings', 's')} FROM moderation_settings s` },
  { type: 'user', query: `SELECT ${line('user', 'u')} FROM users u ORDER BY u.id` },
  { type: 'article', query: `SELECT ${line('article', 'a')} FROM articles a ORDER BY a.created_at, a.id` },
  {
    type: 'comment',
    // Oldest first: parents nearly always come before their replies, which the import links as they come.
    query: `SELECT ${line(
      'comment',
      'c',
      ` || ',"revisions":' || COALESCE((SELECT '[' || string_agg(to_json(r)::text, ',' ORDER BY r.created_at, r.id) || ']'
                                        FROM comment_revisions r WHERE r.comment_id = c.id), '[]')`,
    )} FROM comments c ORDER BY c.created_at, c.id`,
  },
  { type: 'report', query: `SELECT ${line('report', 'r')} FROM reports r ORDER BY r.created_at, r.id` },
  { type: 'log', query: `SELECT ${line('log', 'l')} FROM moderation_log l ORDER BY l.seq` },
] as const;

/** Rows a FETCH reads: each a short statement (the service's statement timeout applies); more held more memory, no faster. */
const FETCH_ROWS = 2000;

/**
 * The export as a byte stream. Readable.from() alone makes an object stream that buffers 16
 * chunks (160,000 lines here) ahead of a slow reader; as bytes, it buffers one.
 */
export function exportStream(dataSource: DataSource, progress?: ExportProgress): Readable {
  return Readable.from(exportLines(dataSource, progress), { objectMode: false });
}

export interface ExportProgress {
  comments: number;
}

/**
 * The whole database as NDJSON: read in one REPEATABLE READ transaction (a consistent snapshot,
 * however long the export takes) through server-side cursors, so memory holds a fetch or two,
 * not the table. The next fetch is asked for before the current one is handed on, so PostgreSQL
 * makes lines while the reader writes them.
 */
export async function* exportLines(dataSource: DataSource, progress?: ExportProgress): AsyncGenerator<string> {
  const pool = (dataSource.driver as PostgresDriver as unknown as { master: Pool }).master;
  const client: PoolClient = await pool.connect();
  let open = false;
  let fetching: Promise<unknown> | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    const {
      rows: [{ name: schema }],
    } = await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1`);
    yield (
      JSON.stringify({
        type: 'header',
        format: 'comment-desk',
        version: EXPORT_FORMAT_VERSION,
        schema,
        exportedAt: new Date().toISOString(),
      }) + '\n'
    );
    const fetch = () =>
      (fetching = client.query<[string]>({ text: `FETCH ${FETCH_ROWS} FROM export_cursor`, rowMode: 'array' }));
    for (const section of SECTIONS) {
      await client.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${section.query}`);
      let next = fetch();
      for (;;) {
        const { rows } = await next;
        if (rows.length === 0) break;
        next = fetch();
        if (progress && section.type === 'comment') progress.comments += rows.length;
        let chunk = '';
        for (const [line] of rows) chunk += line + '\n';
        yield chunk;
      }
      fetching = undefined;
      await client.query(`CLOSE export_cursor`);
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    // Also when the reader went away mid-stream (the generator is returned early).
    await fetching?.catch(() => undefined);
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
