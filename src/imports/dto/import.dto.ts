import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUrl, Length, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';
import { IMPORTABLE } from '../import-runner';
import { ImportJob } from '../import-job.entity';

export const IMPORTABLE_FORMATS: string[] = IMPORTABLE;

/** The options of an upload; the file itself is the request body. */
export class StartImportQueryDto {
  @ApiProperty({ enum: IMPORTABLE_FORMATS })
  @IsIn(IMPORTABLE_FORMATS)
  format: string;

  @ApiPropertyOptional({ description: 'The file name to record in the job and the moderation log' })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  fileName?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Report what would be imported; change nothing' })
  @IsOmittable()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Leave spam out instead of importing it as rejected' })
  @IsOmittable()
  @IsIn(['true', 'false'])
  skipSpam?: 'true' | 'false';

  @ApiPropertyOptional({ description: "Prefixed to Commento's page paths to make article URLs" })
  @IsOmittable()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  urlPrefix?: string;
}

export class ImportJobView {
  id: string;
  @ApiProperty({ enum: ['disqus', 'wordpress', 'commento', 'remark42', 'comment-desk'] })
  format: string;
  fileName: string;
  @ApiProperty({ enum: ['reading', 'importing', 'succeeded', 'failed'] })
  status: string;
  dryRun: boolean;
  options: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: 'The admin who started it; null from the command line' })
  actorId: string | null;
  @ApiProperty({ type: Number, nullable: true })
  bytesTotal: number | null;
  bytesRead: number;
  @ApiProperty({
    description:
      'threads: read, skipped (deleted, no usable URL), articles created and matched; comments: read, imported by status, tombstones, replies made top-level, already imported, skipped by reason; users created',
  })
  counts: Record<string, unknown>;
  @ApiProperty({ description: 'What could not be imported as it was, with the line of the file when known' })
  problems: unknown[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it failed; a malformed file names the line and column',
  })
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  finishedAt: Date | null;

  static of(job: ImportJob): ImportJobView {
    return {
      id: job.id,
      format: job.format,
      fileName: job.fileName,
      status: job.status,
      dryRun: job.dryRun,
      options: job.options,
      actorId: job.actorId,
      bytesTotal: job.bytesTotal === null ? null : Number(job.bytesTotal),
      bytesRead: Number(job.bytesRead),
      counts: job.counts,
      problems: job.problems,
      error: job.error,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      finishedAt: job.finishedAt,
    };
  }
}
