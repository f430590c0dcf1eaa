import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { IsDateTime } from '../../common/date-time';
import { IsOmittable } from '../../common/omittable';
import { COMMENT_STATUSES, CommentStatus } from '../../comments/comment.entity';
import { DECISIONS } from '../../comments/comment-state';
import { PageQueryDto } from '../../common/pagination';
import { IsStorableText } from '../../common/text';

export class QueueQueryDto extends PageQueryDto {
  @IsOmittable()
  @IsUUID()
  articleId?: string;
}

export class DecisionDto {
  @ApiPropertyOptional({
    description:
      "On a rejection: one of the settings' rejectionReasons, which the comment's author is shown; `reason` stays in the log alongside",
  })
  @IsOmittable()
  @IsString()
  @Length(1, 60)
  @IsStorableText()
  reasonLabel?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  reason?: string;

  @ApiPropertyOptional({ enum: COMMENT_STATUSES, description: 'Refuse with 409 if the status has changed meanwhile' })
  @IsOmittable()
  @IsIn(COMMENT_STATUSES)
  expectedStatus?: CommentStatus;
}

export class RestoreDto {
  @ApiProperty({ enum: [...DECISIONS.restore.to], description: 'The status the comment had before the decision' })
  @IsIn(DECISIONS.restore.to)
  status: 'pending' | 'published';

  @ApiProperty({
    enum: [...DECISIONS.restore.from],
    description: 'The status that the decision being undone gave it: anything else is a 409',
  })
  @IsIn(DECISIONS.restore.from)
  expectedStatus: 'approved' | 'rejected';

  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  reason?: string;
}

/** A decision on many comments: the reason fields of a single one, without its expected status. */
export class BulkDecisionDto extends PickType(DecisionDto, ['reasonLabel', 'reason'] as const) {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  action: 'approve' | 'reject';

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  commentIds: string[];
}

export class LogQueryDto extends PageQueryDto {
  @IsOmittable()
  @IsUUID()
  commentId?: string;

  @IsOmittable()
  @IsUUID()
  articleId?: string;

  @IsOmittable()
  @IsString()
  @MaxLength(200)
  @IsStorableText()
  actorId?: string;

  @ApiPropertyOptional({ description: 'What the entry is about: a comment, article or user id, or "settings"' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  @IsStorableText()
  targetId?: string;
}

export class LogPeopleQueryDto {
  @ApiProperty({ description: "A fragment of the user's display name (3 characters or more), or their id" })
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  q: string;
}

const isoDate = ({ value }: { value: unknown }) => (typeof value === 'string' ? new Date(value) : value);

export class SearchCommentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Words of the text (web search syntax: "a phrase", -word, or), or a fragment of at least 3 characters',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  q?: string;

  @ApiPropertyOptional({ description: "The author's user id, or a fragment of their display name" })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  author?: string;

  @ApiPropertyOptional({ description: "The author's user id, exactly (a user's page)" })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  authorId?: string;

  @IsOmittable()
  @IsUUID()
  articleId?: string;

  @ApiPropertyOptional({ description: 'One comment, as a card (a link from the log)' })
  @IsOmittable()
  @IsUUID()
  commentId?: string;

  @ApiPropertyOptional({ enum: COMMENT_STATUSES })
  @IsOmittable()
  @IsIn(COMMENT_STATUSES)
  status?: CommentStatus;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Posted at or after' })
  @IsOmittable()
  @Transform(isoDate)
  @IsDateTime('from')
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Posted before' })
  @IsOmittable()
  @Transform(isoDate)
  @IsDateTime('to')
  to?: Date;
}
