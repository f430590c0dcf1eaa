import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiProblem } from '../openapi/openapi-document';
import { UuidParam } from '../common/uuid.pipe';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { CreateReportDto } from './dto/create-report.dto';
import { ReportView } from './report.view';
import { ReportsService } from './reports.service';

@ApiTags('comments')
@ApiBearerAuth()
@Controller('comments/:id/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Report a comment to the moderators; once per reader and comment. */
  @Post()
  @Access('user')
  @RateLimit('report')
  @ApiProblem(409, 'CONFLICT: this reader has already reported this comment')
  create(
    @Param('id', UuidParam()) commentId: string,
    @Body() dto: CreateReportDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ReportView> {
    return this.reports.create(commentId, dto, user);
  }
}
