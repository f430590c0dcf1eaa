import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Length } from 'class-validator';
import { IsDateTime } from '../../common/date-time';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';

export class BanDto {
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  reason: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Absent: until unbanned' })
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? new Date(value) : value))
  @IsDateTime('until')
  until?: Date;

  @ApiPropertyOptional({
    description:
      "Also reject the user's comments waiting for a moderator (held for review or reported), in the ban's transaction; one decided meanwhile by someone else is skipped",
  })
  @IsOmittable()
  @IsBoolean()
  rejectWaiting?: boolean;

  @ApiPropertyOptional({
    description:
      "With rejectWaiting: one of the settings' rejectionReasons, given to each rejected comment for its author to see",
  })
  @IsOmittable()
  @IsString()
  @Length(1, 60)
  @IsStorableText()
  rejectionReasonLabel?: string;
}

export class PremodDto {
  @IsBoolean()
  enabled: boolean;
}

export class CreateUserNoteDto {
  @IsString()
  @Length(1, 2000)
  @IsStorableText()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  body: string;
}
