import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';
import { REPORT_REASONS, ReportReason } from '../report.entity';

export class CreateReportDto {
  @ApiProperty({ enum: REPORT_REASONS })
  @IsIn(REPORT_REASONS)
  reason: ReportReason;

  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  note?: string;
}
