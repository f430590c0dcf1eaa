import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import { Site } from '../sites/site.entity';
import { UuidParam } from '../common/uuid.pipe';
import { ImportJobView, StartImportQueryDto } from './dto/import.dto';
import { ImportsService } from './imports.service';

@ApiTags('imports')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('admin')
@Controller('admin/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /**
   * The export file is the request body, streamed (no size limit; gzip, deflate or br
   * Content-Encoding is decoded). Answered once the file is received, before it is imported. The
   * file goes into the request's site: its articles, users and settings.
   */
  @Post()
  @HttpCode(202)
  @ApiConsumes('application/xml', 'text/xml', 'application/json', 'application/x-ndjson', 'application/octet-stream')
  @ApiBody({ description: 'The export file', schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({ type: ImportJobView, description: 'The job; follow it with GET /api/admin/imports/{id}' })
  start(
    @Query() query: StartImportQueryDto,
    @Req() request: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ImportJobView> {
    return this.imports.start(query, request.body, user, site);
  }

  /** An import of the request's site, and how far it got (another site's is 404). */
  @Get(':id')
  @ApiOkResponse({ type: ImportJobView })
  find(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ImportJobView> {
    return this.imports.find(id, user, site);
  }
}
