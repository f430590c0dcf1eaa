import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QueueName } from '../articles/queue-sizes';
import { COMMENT_COLUMNS, CommentRow, A_MODERATOR, toCommentView } from '../comments/comment.view';
import { decodeCursor, toPage } from '../common/pagination';
import { escapeLike } from '../common/text';
import { sql } from '../database/sql';
import { ReportsService } from '../reports/reports.service';
import { SitesDirectory } from '../sites/sites.directory';
import { QueueQueryDto, SearchCommentsQueryDto } from './dto/moderation.dto';
import { QueueItemView, QueuePageView } from './moderation.views';

type QueueRow = CommentRow & { article_title: string; article_url: string; article_site: number };

const QUEUE_FILTER: Record<QueueName, string> = {
  pending: `c.status = 'pending'`,
  unmoderated: `c.status = 'published'`,
  approved: `c.status = 'approved'`,
  rejected: `c.status = 'rejected'`,
  reported: `c.open_report_count > 0`,
};

/** The moderators' queues and their search across every article and status. */
@Injectable()
export class ModerationQueues {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportsService,
    private readonly sites: SitesDirectory,
  ) {}

  /** A queue, oldest first, across the articles of `siteIds` or one. */
  async queue(name: QueueName, query: QueueQueryDto, siteIds: number[]) {
    const list = `queue:${name}`;
    const after = decodeCursor(list, query.cursor);
    const params: unknown[] = [query.limit + 1, siteIds];
    const where = [QUEUE_FILTER[name], 'c.deleted_at IS NULL', 'a.site_id = ANY($2::smallint[])'];
    if (query.articleId) where.push(`c.article_id = $${params.push(query.articleId)}`);
    if (after) where.push(`(c.created_at, c.id) > ($${params.push(after.createdAt)}, $${params.push(after.id)})`);
    const { rows } = await sql<QueueRow>(
      this.dataSource,
      `SELECT ${COMMENT_COLUMNS}, a.title AS article_title, a.url AS article_url, a.site_id AS article_site
       FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
       WHERE ${where.join(' AND ')} ORDER BY c.created_at, c.id LIMIT $1`,
      params,
    );
    const page = toPage(
      list,
      rows.map((r) => Object.assign(r, { createdAt: r.created_at })),
      query.limit,
    );
    return { items: await this.toItems(page.items), nextCursor: page.nextCursor };
  }

  /**
   * Comments of every article and status (deleted ones left out), newest first: by words of their
   * text (full-text, any language's words as they are) or a fragment of it, by author (id, or a
   * fragment of the name), article, status and time.
   */
  async search(query: SearchCommentsQueryDto, siteIds: number[]): Promise<QueuePageView> {
    const list = 'search';
    const after = decodeCursor(list, query.cursor);
    const params: unknown[] = [query.limit + 1, siteIds];
    const where = ['c.deleted_at IS NULL', 'a.site_id = ANY($2::smallint[])'];
    if (query.q !== undefined) {
      const q = params.push(query.q);
      const fragment = params.push(`%${escapeLike(query.q)}%`);
      where.push(
        `(to_tsvector('simple', c.body) @@ websearch_to_tsquery('simple', $${q}) OR (length($${q}) >= 3 AND c.body ILIKE $${fragment}))`,
      );
    }
    if (query.author !== undefined) {
      const id = params.push(query.author);
      const name = params.push(`%${escapeLike(query.author)}%`);
      where.push(`(c.author_id = $${id} OR (length($${id}) >= 3 AND u.name ILIKE $${name}))`);
    }
    if (query.authorId !== undefined) where.push(`c.author_id = $${params.push(query.authorId)}`);
    if (query.articleId) where.push(`c.article_id = $${params.push(query.articleId)}`);
    if (query.commentId) where.push(`c.id = $${params.push(query.commentId)}`);
    if (query.status) where.push(`c.status = $${params.push(query.status)}`);
    if (query.from) where.push(`c.created_at >= $${params.push(query.from)}`);
    if (query.to) where.push(`c.created_at < $${params.push(query.to)}`);
    if (after) where.push(`(c.created_at, c.id) < ($${params.push(after.createdAt)}, $${params.push(after.id)})`);
    const { rows } = await sql<QueueRow>(
      this.dataSource,
      `SELECT ${COMMENT_COLUMNS}, a.title AS article_title, a.url AS article_url, a.site_id AS article_site
       FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
       WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT $1`,
      params,
      { planEachTime: true },
    );
    const page = toPage(
      list,
      rows.map((r) => Object.assign(r, { createdAt: r.created_at })),
      query.limit,
    );
    return { items: await this.toItems(page.items), nextCursor: page.nextCursor };
  }

  /** Comments as moderators' cards show them: with their article (and its site) and open reports. */
  private async toItems(rows: QueueRow[]): Promise<QueueItemView[]> {
    const sites = new Map((await this.sites.all()).map((site) => [site.id, site]));
    for (const row of rows)
      if (!sites.has(row.article_site)) sites.set(row.article_site, await this.sites.byId(row.article_site));
    const reports = await this.reports.openReports(
      this.dataSource.manager,
      rows.filter((r) => r.open_report_count > 0).map((r) => r.id),
    );
    return rows.map((row) => ({
      ...toCommentView(row, A_MODERATOR),
      article: {
        id: row.article_id,
        title: row.article_title,
        url: row.article_url,
        site: { key: sites.get(row.article_site)!.key, name: sites.get(row.article_site)!.name },
      },
      openReportCount: row.open_report_count,
      reports: reports.get(row.id) ?? [],
    }));
  }
}
