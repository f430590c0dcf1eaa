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
