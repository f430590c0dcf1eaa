import { EntityManager } from 'typeorm';
import { userIdOf } from '../../sites/site-users';
import { sql } from '../../database/sql';
import { DEFAULT_SITE_ID } from '../../sites/site.entity';
import { EXPORT_FORMAT_VERSION } from '../../exports/export-stream';
import { ImportCounts } from '../import-counts';
import { ImportSite } from '../import-jobs';
import { ImportLimits } from '../import-limits';
import { rowProblems } from '../import-validation';
import { NdjsonReader } from './ndjson';
import { MalformedFileError } from './xml';

/** The tables of an export's line types, in the order a batch is written. */
const TABLES = {
  settings: 'moderation_settings',
  user: 'users',
  article: 'articles',
  comment: 'comments',
  revision: 'comment_revisions',
  report: 'reports',
  note: 'user_notes',
  log: 'moderation_log',
} as const;
type LineType = keyof typeof TABLES;
type Row = Record<string, unknown>;
type Line = {
  type?: unknown;
  data?: unknown;
  revisions?: unknown;
  format?: unknown;
  version?: unknown;
  site?: unknown;
} | null;
/** The site an export came from, in its header; exports from before sites are a first site's. */
type ExportedSite = { key: string; first: boolean };

/** The columns of each line type that hold a user id, and, for the log, when its target is one. */
const USER_COLUMNS: Partial<Record<LineType, string[]>> = {
  user: ['id'],
  comment: ['author_id'],
  report: ['user_id', 'resolved_by'],
  note: ['user_id', 'author_id'],
  log: ['actor_id'],
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The columns of each table, read once: a line's fields that the schema lacks are ignored. */
export async function tableColumns(manager: EntityManager): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>(
    manager,
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [Object.values(TABLES)],
  );
  const columns = new Map<string, Set<string>>();
  for (const r of rows) columns.set(r.table_name, (columns.get(r.table_name) ?? new Set()).add(r.column_name));
  return columns;
}

/**
 * Our own export (NDJSON from `npm run export`), read back with every id, date and state as it
 * was, so that the same read endpoints give the same answers. Rows go in as they come, one batch
 * per transaction, each under its primary key (a re-run creates nothing twice); a reply whose
 * parent comes later in the file is linked at the end. The log keeps its order (and its `seq`,
 * when the log it goes into is empty).
 */
export class CommentDeskImport {
  readonly articleIds = new Set<string>();
  private batch: Record<LineType, Row[]> = emptyBatch();
  private pendingRows = 0;
  private pendingLength = 0;
  private readonly lines: NdjsonReader;
  private unlinked: { id: string; parentId: string }[] = [];
  /**
   * The file's users' ids as the site stores them, when they differ from the file's (another
   * site's export, whose ids its own login made): a commenter who signs in here is then the same user.
   */
  private renamed: Map<string, string> | null = null;
  private from: ExportedSite = { key: 'default', first: true };

  constructor(
    private readonly site: ImportSite,
    private readonly counts: ImportCounts,
    private readonly columns: Map<string, Set<string>>,
    private readonly keepLogSeq: boolean,
    limits: ImportLimits,
    private readonly problem: (line: number, message: string) => void,
  ) {
    this.lines = new NdjsonReader(limits, (value, line, length) => this.readLine(value as Line, line, length));
  }

  get pending(): number {
    return this.pendingRows;
  }

  /** Characters of the lines waiting in the batch. */
  get pendingChars(): number {
    return this.pendingLength;
  }

  write(text: string): void {
    this.lines.write(text);
  }

  end(): void {
    this.lines.end();
    if (this.lines.line === 0) throw new MalformedFileError(1, 1, 'the file is empty');
  }

  private readLine(value: Line, line: number, length: number): void {
    if (line === 1) {
      if (value?.type !== 'header' || value.format !== 'comment-desk')
        throw new MalformedFileError(1, 1, 'this is not a Comment Desk export: it has no header line');
      if (value.version !== EXPORT_FORMAT_VERSION)
        throw new MalformedFileError(1, 1, `version ${String(value.version)} of the format cannot be read`);
      const from = value.site as Partial<ExportedSite> | undefined;
      if (from !== undefined && (typeof from?.key !== 'string' || typeof from.first !== 'boolean'))
        throw new MalformedFileError(1, 1, 'the header\'s site must be { "key", "first" }');
      if (from) this.from = { key: from.key!, first: from.first! };
      const sameIds =
        this.from.first === (this.site.id === DEFAULT_SITE_ID) && (this.from.first || this.from.key === this.site.key);
      if (!sameIds) this.renamed = new Map();
      return;
    }
    const type = value?.type as LineType;
    const data = value?.data as Row | undefined;
    if (
      !Object.hasOwn(TABLES, type) ||
      type === 'revision' ||
      typeof data !== 'object' ||
      data === null ||
      Array.isArray(data)
    ) {
      throw new MalformedFileError(line, 1, 'each line must be { "type", "data" } of a known type');
    }
    if (type === 'article') this.counts.threads.read++;
    if (type === 'comment') this.counts.comments.read++;
    const row = this.valid(type, this.ofSite(type, data), line);
    if (!row) {
      if (type === 'comment') this.counts.comments.skipped.invalid++;
      return;
    }
    this.batch[type].push(row);
    this.pendingRows++;
    this.pendingLength += length;
    if (type === 'comment') {
      this.articleIds.add(String(row.article_id));
      for (const revision of Array.isArray(value!.revisions) ? (value!.revisions as unknown[]) : []) {
        if (typeof revision !== 'object' || revision === null) continue;
        const valid = this.valid('revision', revision as Row, line);
        if (valid) this.batch.revision.push(valid);
      }
    }
  }

  /** The row as this site stores it: its site, and its users' ids as this site's login makes them. */
  private ofSite(type: LineType, data: Row): Row {
    const row = type === 'user' || type === 'article' || type === 'log' ? { ...data, site_id: this.site.id } : data;
    const renamed = this.renamed;
    if (!renamed) return row;
    if (type === 'user' && typeof row.id === 'string') {
      const sub = this.from.first
        ? row.id
        : row.id.startsWith(`${this.from.key}:`)
          ? row.id.slice(this.from.key.length + 1)
          : null;
      // An id the exporting site's login did not make is kept as it is.
      if (sub !== null) renamed.set(row.id, userIdOf(this.site, sub));
    }
    const columns = [
      ...(USER_COLUMNS[type] ?? []),
      ...(type === 'log' && row.target_type === 'user' ? ['target_id'] : []),
    ];
    const changed: Row = { ...row };
    for (const column of columns) {
      const id = row[column];
      if (typeof id === 'string' && renamed.has(id)) changed[column] = renamed.get(id);
    }
    return changed;
  }

  /** The row's columns that the table has, if the API's rules take them; else null, and a problem. */
  private valid(type: LineType, data: Row, line: number): Row | null {
    const known = this.columns.get(TABLES[type]) ?? new Set();
    const row: Row = {};
    for (const key of Object.keys(data)) if (known.has(key)) row[key] = data[key];
    const problems =
      Object.keys(row).length === 0 ? [`none of its fields is a column of ${TABLES[type]}`] : rowProblems(type, row);
    if (problems.length === 0) return row;
    const id = typeof row.id === 'string' || typeof row.id === 'number' ? ` ${row.id}` : '';
    this.problem(line, `${type}${id} is skipped: ${problems.join('; ')}`);
    return null;
  }

  async flush(m: EntityManager): Promise<void> {
    const batch = this.batch;
    this.batch = emptyBatch();
    this.pendingRows = 0;
    this.pendingLength = 0;
    const other = (this.counts.other ??= { settings: 0, revisions: 0, reports: 0, logEntries: 0 });
    for (const settings of batch.settings) {
      const cols = this.columnsOf('settings', [settings]).filter((c) => c !== 'id');
      await sql(
        m,
        `UPDATE moderation_settings SET (${cols.map(quote).join(', ')}) =
           (SELECT ${cols.map((c) => `r.${quote(c)}`).join(', ')} FROM jsonb_populate_record(NULL::moderation_settings, $1::jsonb) r)
         WHERE id = $2`,
        [JSON.stringify(settings), this.site.id],
      );
      other.settings++;
    }
    if (batch.user.length > 0) {
      this.counts.users.created += await this.insert(m, 'user', batch.user);
      await this.otherSites(m, 'users', 'user', batch.user);
    }
    if (batch.article.length > 0) {
      for (const a of batch.article) this.articleIds.add(String(a.id));
      const created = await this.insert(m, 'article', batch.article);
      this.counts.threads.articlesCreated += created;
      this.counts.threads.articlesMatched += batch.article.length - created;
      await this.otherSites(m, 'articles', 'article', batch.article);
    }
    if (batch.comment.length > 0) await this.insertComments(m, batch.comment);
    if (batch.revision.length > 0)
      other.revisions += await this.insert(
        m,
        'revision',
        batch.revision,
        `EXISTS (SELECT 1 FROM comments c WHERE c.id = r.comment_id)`,
      );
    if (batch.report.length > 0)
      other.reports += await this.insert(
        m,
        'report',
        batch.report,
        `EXISTS (SELECT 1 FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id = r.comment_id AND a.site_id = ${this.site.id})
         AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id)`,
      );
    if (batch.note.length > 0) {
      other.notes =
        (other.notes ?? 0) +
        (await this.insert(
          m,
          'note',
          batch.note,
          `EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id AND u.site_id = ${this.site.id})
           AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.author_id)`,
        ));
    }
    if (batch.log.length > 0) other.logEntries += await this.insert(m, 'log', batch.log);
  }

  /**
   * Rows whose id is another site's (a user never changes site; nor does an article): left there
   * as they are, each a problem; what refers to them is left out.
   */
  private async otherSites(m: EntityManager, table: 'users' | 'articles', type: LineType, rows: Row[]): Promise<void> {
    const { rows: others } = await sql<{ id: string }>(
      m,
      `SELECT id FROM ${table} WHERE id = ANY($1::${table === 'users' ? 'text' : 'uuid'}[]) AND site_id <> $2 ORDER BY id`,
      [rows.map((r) => String(r.id)), this.site.id],
    );
    for (const { id } of others)
      this.problem(0, `${type} ${id} is another site's: it stays there, and what belongs to it is skipped`);
  }

  /** Links the replies whose parents came after them; then the log's numbering goes on from the imported one. */
  async finish(m: EntityManager): Promise<void> {
    const left = await this.link(m, this.unlinked);
    this.counts.comments.madeTopLevel += left.length;
    this.unlinked = [];
    if (this.keepLogSeq) {
      await sql(
        m,
        `SELECT setval(pg_get_serial_sequence('moderation_log', 'seq'), GREATEST((SELECT max(seq) FROM moderation_log), 1))`,
      );
    }
  }

  /** Sets the parents that are now there; returns the links still waiting for theirs. */
  private async link(
    m: EntityManager,
    links: { id: string; parentId: string }[],
  ): Promise<{ id: string; parentId: string }[]> {
    const left: { id: string; parentId: string }[] = [];
    for (let i = 0; i < links.length; i += 5000) {
      const part = links.slice(i, i + 5000);
      const { rows } = await sql<{ id: string }>(
        m,
        `WITH linked AS (
           UPDATE comments c SET parent_id = x.parent_id FROM unnest($1::uuid[], $2::uuid[]) AS x(id, parent_id)
           WHERE c.id = x.id AND c.parent_id IS NULL
             AND EXISTS (SELECT 1 FROM comments p WHERE p.id = x.parent_id AND p.article_id = c.article_id)
           RETURNING c.id)
         SELECT x.id FROM unnest($1::uuid[]) AS x(id)
         WHERE NOT EXISTS (SELECT 1 FROM linked l WHERE l.id = x.id)
           AND NOT EXISTS (SELECT 1 FROM comments c JOIN unnest($1::uuid[], $2::uuid[]) AS y(id, parent_id) ON y.id = c.id
                           WHERE c.id = x.id AND c.parent_id = y.parent_id)`,
        [part.map((u) => u.id), part.map((u) => u.parentId)],
      );
      const waiting = new Set(rows.map((r) => r.id));
      left.push(...part.filter((u) => waiting.has(u.id)));
    }
    return left;
  }

  private columnsOf(type: LineType, rows: Row[]): string[] {
    const known = this.columns.get(TABLES[type]) ?? new Set();
    const keys = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row)) if (known.has(key)) keys.add(key);
    if (type === 'log' && !this.keepLogSeq) keys.delete('seq');
    return [...keys].sort();
  }

  private async insert(m: EntityManager, type: LineType, rows: Row[], where = 'true'): Promise<number> {
    const table = TABLES[type];
    const cols = this.columnsOf(type, rows);
    const overriding = type === 'log' && cols.includes('seq') ? 'OVERRIDING SYSTEM VALUE' : '';
    const { rowCount } = await sql(
      m,
      `INSERT INTO ${table} (${cols.map(quote).join(', ')}) ${overriding}
       SELECT ${cols.map((c) => `r.${quote(c)}`).join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) r
       WHERE ${where} ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return rowCount;
  }

  /**
   * Comments of articles and authors that are there; a parent that is not there yet is linked in
   * finish(). Rows already there (a re-run) are counted, and linked too if the run that wrote
   * them stopped before linking them.
   */
  private async insertComments(m: EntityManager, rows: Row[]): Promise<void> {
    const cols = this.columnsOf('comment', rows);
    const select = cols.map((c) =>
      c === 'parent_id'
        ? `CASE WHEN EXISTS (SELECT 1 FROM comments p WHERE p.id = r.parent_id AND p.article_id = r.article_id) THEN r.parent_id END`
        : `r.${quote(c)}`,
    );
    const {
      rows: [result],
    } = await sql<{
      placeable: number;
      inserted: number;
      approved: number;
      published: number;
      pending: number;
      rejected: number;
      tombstones: number;
      unlinked: { id: string; parentId: string }[];
      other_site: number;
    }>(
      m,
      `WITH r AS (SELECT * FROM jsonb_populate_recordset(NULL::comments, $1::jsonb)),
       ok AS (SELECT r.* FROM r WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = r.article_id AND a.site_id = $2)
                                  AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.author_id AND u.site_id = $2)),
       ins AS (
         INSERT INTO comments (${cols.map(quote).join(', ')})
         SELECT ${select.join(', ')} FROM ok r
         ON CONFLICT DO NOTHING
         RETURNING status, deleted_at),
       counted AS (
         SELECT count(*)::int AS inserted,
                count(*) FILTER (WHERE deleted_at IS NULL AND status = 'approved')::int AS approved,
                count(*) FILTER (WHERE deleted_at IS NULL AND status = 'published')::int AS published,
                count(*) FILTER (WHERE deleted_at IS NULL AND status = 'pending')::int AS pending,
                count(*) FILTER (WHERE deleted_at IS NULL AND status = 'rejected')::int AS rejected,
                count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS tombstones
         FROM ins)
       SELECT counted.*, (SELECT count(*) FROM ok)::int AS placeable,
         (SELECT count(*) FROM r WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = r.author_id AND u.site_id <> $2))::int
           AS other_site,
         (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'parentId', r.parent_id)), '[]')
          FROM r WHERE r.parent_id IS NOT NULL
            AND NOT (EXISTS (SELECT 1 FROM comments p WHERE p.id = r.parent_id AND p.article_id = r.article_id)
                     AND COALESCE((SELECT c.parent_id = r.parent_id FROM comments c WHERE c.id = r.id), true))) AS unlinked
       FROM counted`,
      [JSON.stringify(rows), this.site.id],
    );
    const c = this.counts.comments;
    c.imported += result.inserted;
    c.alreadyImported += result.placeable - result.inserted;
    c.skipped.threadSkipped += rows.length - result.placeable - result.other_site;
    if (result.other_site > 0) c.skipped.otherSiteUser = (c.skipped.otherSiteUser ?? 0) + result.other_site;
    c.approved += result.approved;
    c.published = (c.published ?? 0) + result.published;
    c.pending += result.pending;
    c.rejected += result.rejected;
    c.tombstones += result.tombstones;
    // Parents in this same batch are there now.
    this.unlinked.push(...(await this.link(m, result.unlinked)));
  }
}

function emptyBatch(): Record<LineType, Row[]> {
  return { settings: [], user: [], article: [], comment: [], revision: [], report: [], note: [], log: [] };
}
