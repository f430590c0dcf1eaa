import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { UuidParam } from '../common/uuid.pipe';
import { ImportJobView, StartImportQueryDto } from './dto/import.dto';
import { ImportsService } from './imports.service';

@ApiTags('imports')
@ApiBearerAuth()
@Access('admin')
@Controller('admin/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /**
   * The export file is the request body, streamed (no size limit; gzip, deflate or br
   * Content-Encoding is decoded). Answered once the file is received, before it is imported.
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
  ): Promise<ImportJobView> {
    return this.imports.start(query, request.body, user);
  }

  @Get(':id')
  @ApiOkResponse({ type: ImportJobView })
  find(@Param('id', UuidParam()) id: string): Promise<ImportJobView> {
    return this.imports.find(id);
  }
}
