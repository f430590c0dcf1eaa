import { DataSource, QueryRunner } from 'typeorm';

/** The comment-desk format: its version, in the header line of every export. */
export const EXPORT_FORMAT_VERSION = 1;
const FETCH_ROWS = 2000;

/**
 * What an export holds, in the order an import needs it: who and where before comments, comments
 * before what refers to them. Each line is `{ "type", "data" }`, `data` the table's row with its
 * column names (comments also carry their `revisions`). Counts are included, and recomputed on
 * import.
 */
const SECTIONS = [
  { type: 'settings', query: `SELECT to_jsonb(s) AS data FROM moderation_settings s` },
  { type: 'user', query: `SELECT to_jsonb(u) AS data FROM users u ORDER BY u.id` },
  { type: 'article', query: `SELECT to_jsonb(a) AS data FROM articles a ORDER BY a.created_at, a.id` },
  {
    type: 'comment',
    // Oldest first: parents nearly always come before their replies, which the import links as they come.
    query: `SELECT to_jsonb(c) AS data FROM comments c ORDER BY c.created_at, c.id`,
    revisions: true,
  },
  { type: 'report', query: `SELECT to_jsonb(r) AS data FROM reports r ORDER BY r.created_at, r.id` },
  { type: 'log', query: `SELECT to_jsonb(l) AS data FROM moderation_log l ORDER BY l.seq` },
] as const;

export interface ExportProgress {
  comments: number;
}

/**
 * The whole database as NDJSON, one line at a time: read in one REPEATABLE READ transaction (a
 * consistent snapshot, however long the export takes) through server-side cursors, so memory
 * holds one fetch, not the table.
 */
export async function* exportLines(dataSource: DataSource, progress?: ExportProgress): AsyncGenerator<string> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let open = false;
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    const [{ name: schema }] = await runner.query(
      `SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1`,
    );
    yield (
      JSON.stringify({
        type: 'header',
        format: 'comment-desk',
        version: EXPORT_FORMAT_VERSION,
        schema,
        exportedAt: new Date().toISOString(),
      }) + '\n'
    );
    for (const section of SECTIONS) {
      await runner.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${section.query}`);
      for (;;) {
        const rows: { data: Record<string, unknown> }[] = await runner.query(`FETCH ${FETCH_ROWS} FROM export_cursor`);
        if (rows.length === 0) break;
        const revisions = 'revisions' in section ? await revisionsOf(runner, rows) : undefined;
        let chunk = '';
        for (const { data } of rows) {
          const line: Record<string, unknown> = { type: section.type, data };
          if (revisions) line.revisions = revisions.get(data.id as string) ?? [];
          chunk += JSON.stringify(line) + '\n';
        }
        if (progress && section.type === 'comment') progress.comments += rows.length;
        yield chunk;
      }
      await runner.query(`CLOSE export_cursor`);
    }
    await runner.query('COMMIT');
    open = false;
  } finally {
    // Also when the reader went away mid-stream (the generator is returned early).
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

async function revisionsOf(
  runner: QueryRunner,
  rows: { data: Record<string, unknown> }[],
): Promise<Map<string, unknown[]>> {
  const found: { comment_id: string; data: unknown }[] = await runner.query(
    `SELECT comment_id, to_jsonb(r) AS data FROM comment_revisions r WHERE comment_id = ANY($1::uuid[])
     ORDER BY created_at, id`,
    [rows.map((r) => r.data.id)],
  );
  const byComment = new Map<string, unknown[]>();
  for (const r of found) {
    const revisions = byComment.get(r.comment_id);
    if (revisions) revisions.push(r.data);
    else byComment.set(r.comment_id, [r.data]);
  }
  return byComment;
}
