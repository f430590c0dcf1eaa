import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator';
import { exportStream } from './export-stream';

@ApiTags('exports')
@ApiBearerAuth()
@Access('admin')
@Controller('admin/export')
export class ExportsController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Everything, streamed as NDJSON (settings, users, articles, comments with their revisions,
   * reports, the moderation log) from one consistent snapshot; `npm run import -- --format
   * comment-desk` reads it back.
   */
  @Get()
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'One JSON object a line: `{ type, data }`, a header line first',
    content: { 'application/x-ndjson': { schema: { type: 'string' } } },
  })
  export(@Res() reply: FastifyReply): void {
    const name = `comment-desk-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.ndjson`;
    reply
      .type('application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'no-store')
      .send(exportStream(this.dataSource));
  }
}
