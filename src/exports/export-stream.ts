import { Readable } from 'node:stream';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { to as copyTo } from 'pg-copy-streams';
import { DEFAULT_SITE_ID } from '../sites/site.entity';

/** The comment-desk format: its version, in the header line of every export. */
export const EXPORT_FORMAT_VERSION = 1;

/** `{"type":TYPE,"data":ROW}`, the row as json (compact, its columns in table order). */
const line = (type: string, row: string, rest = '') =>
  `'{"type":"${type}","data":' || to_json(${row})::text${rest} || '}'`;

/**
 * What an export of a site holds, in the order an import needs it: who and where before comments,
 * comments before what refers to them. Each line is `{ "type", "data" }`, `data` the table's row
 * with its column names (comments also carry their `revisions`). Counts are included, and
 * recomputed on import. Each line is made by PostgreSQL: Node only passes the bytes on. The site's
 * id is a number the caller looked up, written into the queries (COPY takes no parameters).
 */
const sections = (site: number) =>
  [
    { type: 'settings', query: `SELECT ${line('settings', 's')} FROM moderation_settings s WHERE s.id = ${site}` },
    { type: 'user', query: `SELECT ${line('user', 'u')} FROM users u WHERE u.site_id = ${site} ORDER BY u.id` },
    {
      type: 'article',
      query: `SELECT ${line('article', 'a')} FROM articles a WHERE a.site_id = ${site} ORDER BY a.created_at, a.id`,
    },
    {
      type: 'comment',
      // Oldest first: parents nearly always come before their replies, which the import links as
      // they come. Revisions are joined, not looked up per comment, and the lines are made before
      // the sort, so that parallel workers can share the work (a subquery per row cannot).
      query: `SELECT x.line FROM (
              SELECT ${line('comment', 'c', ` || ',"revisions":' || COALESCE(r.revisions, '[]')`)} AS line, c.created_at, c.id
              FROM comments c JOIN articles a ON a.id = c.article_id AND a.site_id = ${site} LEFT JOIN (
                SELECT comment_id, '[' || string_agg(to_json(r)::text, ',' ORDER BY r.created_at, r.id) || ']' AS revisions
                FROM comment_revisions r GROUP BY comment_id) r ON r.comment_id = c.id) x
            ORDER BY x.created_at, x.id`,
    },
    {
      type: 'report',
      query: `SELECT ${line('report', 'r')} FROM reports r
              JOIN comments c ON c.id = r.comment_id JOIN articles a ON a.id = c.article_id AND a.site_id = ${site}
              ORDER BY r.created_at, r.id`,
    },
    {
      type: 'note',
      query: `SELECT ${line('note', 'n')} FROM user_notes n JOIN users u ON u.id = n.user_id AND u.site_id = ${site}
              ORDER BY n.created_at, n.id`,
    },
    { type: 'log', query: `SELECT ${line('log', 'l')} FROM moderation_log l WHERE l.site_id = ${site} ORDER BY l.seq` },
  ] as const;

/**
 * COPY's CSV with a quote and a delimiter that JSON text never holds (to_json escapes every
 * control character) writes each line as it is: no escaping, no quotes.
 */
const AS_LINES = `WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;
const NEWLINE = 0x0a;

/** The export of a site as a byte stream. */
export function exportStream(dataSource: DataSource, siteId: number, progress?: ExportProgress): Readable {
  return Readable.from(exportChunks(dataSource, siteId, progress), { objectMode: false });
}

export interface ExportProgress {
  comments: number;
}

/**
 * A site's part of the database as NDJSON: read in one REPEATABLE READ transaction (a consistent
 * snapshot, however long the export takes), each section through COPY TO STDOUT. COPY streams with the
 * reader's pace (the socket is paused while the reader is behind), so memory holds a few chunks,
 * not the table, and unlike a cursor it may use parallel workers to make the lines.
 */
export async function* exportChunks(
  dataSource: DataSource,
  siteId: number,
  progress?: ExportProgress,
): AsyncGenerator<Buffer> {
  if (!Number.isInteger(siteId)) throw new Error(`${siteId} is not a site's id`);
  // A connection of its own, not the pool's: an export of minutes would hold a pool slot, and pg's
  // query_timeout (which a COPY TO stream never clears) would cut it off.
  const { options } = (dataSource.driver as PostgresDriver as unknown as { master: { options: ClientConfig } }).master;
  const client = new Client({ ...options, query_timeout: undefined });
  await client.connect();
  let finished = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // One long statement per section, at the reader's pace; and the sort of a million comments
    // is worth workers even where the planner's default costs would not start them.
    await client.query(
      `SET LOCAL statement_timeout = 0; SET LOCAL work_mem = '64MB';
       SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0`,
    );
    const {
      rows: [{ name: schema }],
    } = await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1`);
    const {
      rows: [site],
    } = await client.query<{ key: string; first: boolean }>(`SELECT key, id = $1 AS first FROM sites WHERE id = $2`, [
      DEFAULT_SITE_ID,
      siteId,
    ]);
    if (!site) throw new Error(`There is no site ${siteId}`);
    yield Buffer.from(
      JSON.stringify({
        type: 'header',
        format: 'comment-desk',
        version: EXPORT_FORMAT_VERSION,
        schema,
        // Whose login made the users' ids: an import into another site gives them that site's.
        site: { key: site.key, first: site.first },
        exportedAt: new Date().toISOString(),
      }) + '\n',
    );
    for (const section of sections(siteId)) {
      const lines = client.query(copyTo(`COPY (${section.query}) TO STDOUT ${AS_LINES}`));
      for await (const chunk of lines as AsyncIterable<Buffer>) {
        if (progress && section.type === 'comment') {
          for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) progress.comments++;
        }
        yield chunk;
      }
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    // A reader that went away mid-stream leaves a COPY running: closing the connection ends it.
    if (finished) await client.end();
    else client.end().catch(() => undefined);
  }
}
