import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { PageQueryDto } from '../../common/pagination';
import { IsStorableText } from '../../common/text';

/** The hard ceiling; the settings' maxCommentLength (checked after trimming) is the real limit. */
export const MAX_BODY_CHARS = 50000;

export class CreateCommentDto {
  @IsString()
  @MaxLength(MAX_BODY_CHARS * 2)
  @IsStorableText()
  body: string;

  @IsOmittable()
  @IsUUID()
  parentId?: string;
}

export class UpdateCommentDto {
  @IsString()
  @MaxLength(MAX_BODY_CHARS * 2)
  @IsStorableText()
  body: string;
}

export class ThreadQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['newest', 'oldest'], default: 'newest' })
  @IsOmittable()
  @IsIn(['newest', 'oldest'])
  sort: 'newest' | 'oldest' = 'newest';
}
