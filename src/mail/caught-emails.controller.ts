import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import { mustHold } from '../auth/site-access';
import { decodeCursor, PageQueryDto, toPage } from '../common/pagination';
import { UuidParam } from '../common/uuid.pipe';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { ApiProblem } from '../openapi/openapi-document';
import type { Site } from '../sites/site.entity';
import { CaughtEmailPageView, CaughtEmailView, MailStatusView } from './caught-email.views';
import { Mailer } from './mailer';

interface CaughtRow {
  id: string;
  site_id: number;
  site: string;
  message_id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  created_at: Date;
}

const summary = (row: CaughtRow) => ({
  id: row.id,
  to: row.to,
  subject: row.subject,
  site: row.site,
  createdAt: row.created_at.toISOString(),
});

/**
 * The mail catcher: with no mail server (MAIL_CATCHER, as `npm start` runs without SMTP_URL),
 * the emails Comment Desk would have sent, for a site's admins to read.
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('admin')
@Controller('admin')
export class CaughtEmailsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
  ) {}

  /** Whether this installation sends email, and whether it keeps it for admins instead. */
  @Get('mail')
  status(): MailStatusView {
    return { sending: this.mailer.enabled, catching: this.mailer.catching };
  }

  /** The site's kept emails, newest first. */
  @Get('emails')
  async list(
    @Query() query: PageQueryDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<CaughtEmailPageView> {
    mustHold(user, site.id, 'admin');
    const after = decodeCursor('emails', query.cursor);
    const { rows } = await sql<CaughtRow>(
      this.dataSource,
      `SELECT e.id, e."to", e.subject, e.created_at, s.key AS site FROM caught_emails e JOIN sites s ON s.id = e.site_id
       WHERE e.site_id = $1 AND ($2::timestamptz IS NULL OR (e.created_at, e.id) < ($2, $3::uuid))
       ORDER BY e.created_at DESC, e.id DESC LIMIT $4`,
      [site.id, after?.createdAt ?? null, after?.id ?? null, query.limit + 1],
    );
    const page = toPage('emails', rows, query.limit, (row) => ({ createdAt: row.created_at, id: row.id }));
    return { items: page.items.map(summary), nextCursor: page.nextCursor };
  }

  /** One kept email, whole. */
  @Get('emails/:id')
  @ApiProblem(404, "NOT_FOUND: no such email, or another site's")
  async one(@Param('id', UuidParam()) id: string, @CurrentUser() user: AuthUser): Promise<CaughtEmailView> {
    const { rows } = await sql<CaughtRow>(
      this.dataSource,
      `SELECT e.*, s.key AS site FROM caught_emails e JOIN sites s ON s.id = e.site_id WHERE e.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) throw AppError.notFound('The email');
    mustHold(user, row.site_id, 'admin', 'The email');
    return { ...summary(row), messageId: row.message_id, text: row.text, html: row.html, headers: row.headers };
  }
}
