import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import { mustHold } from '../auth/site-access';
import { Site } from '../sites/site.entity';
import { exportStream } from './export-stream';

@ApiTags('exports')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('admin')
@Controller('admin/export')
export class ExportsController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The request's site, streamed as NDJSON (its settings, users and their notes, articles, comments
   * with their revisions, reports on them, its moderation log) from one consistent snapshot;
   * `npm run import -- --format comment-desk` reads it back, into this site or another.
   */
  @Get()
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'One JSON object a line: `{ type, data }`, a header line first',
    content: { 'application/x-ndjson': { schema: { type: 'string' } } },
  })
  export(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @RequestSite() site: Site): void {
    mustHold(user, site.id, 'admin');
    const name = `comment-desk-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.ndjson`;
    reply
      .type('application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'no-store')
      .send(exportStream(this.dataSource, site.id));
  }
}
