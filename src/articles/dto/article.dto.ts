import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { IsDateTime } from '../../common/date-time';
import { IsOmittable } from '../../common/omittable';
import { PageQueryDto } from '../../common/pagination';
import { IsStorableText } from '../../common/text';
import { MODERATION_MODES, ModerationMode } from '../../settings/moderation-settings.entity';
import { articleUrlProblem } from '../article-url';

const toDate = ({ value }: { value: unknown }) =>
  value === null || value === undefined ? value : typeof value === 'string' ? new Date(value) : value;

/** A URL that can be an article's: http(s), with no user name before the host (see articleUrlProblem). */
function IsArticleUrl() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isArticleUrl',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && articleUrlProblem(value) === null,
        defaultMessage: (args) =>
          `${propertyName} ${typeof args?.value === 'string' ? articleUrlProblem(args.value) : 'must be a string'}`,
      },
    });
}

export class CreateArticleDto {
  @ApiProperty({
    description: 'Stored in its normalized form (the settings say which query parameters and trailing slashes count)',
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @IsArticleUrl()
  @MaxLength(2048)
  url: string;

  @IsString()
  @Length(1, 500)
  @IsStorableText()
  title: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  externalId?: string;

  @ApiPropertyOptional({ enum: MODERATION_MODES, description: 'Defaults to the settings' })
  @IsOmittable()
  @IsIn(MODERATION_MODES)
  moderationMode?: ModerationMode;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the article closes by itself' })
  @IsOmittable()
  @Transform(toDate)
  @IsDateTime('closeAt')
  closeAt?: Date;
}

/** An embed's first read: the article at `url`, created with `title` when the settings allow it. */
export class ResolveArticleDto extends PickType(CreateArticleDto, ['url', 'title'] as const) {}

export class DisclaimerPatchDto {
  @ApiPropertyOptional({ nullable: true, description: 'null: shown while the article is in post mode' })
  @IsOptional()
  @IsBoolean()
  show?: boolean | null;

  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  text?: string;
}

export class UpdateArticleDto {
  @IsOmittable()
  @IsString()
  @Length(1, 500)
  @IsStorableText()
  title?: string;

  @ApiPropertyOptional({ enum: MODERATION_MODES })
  @IsOmittable()
  @IsIn(MODERATION_MODES)
  moderationMode?: ModerationMode;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null removes it' })
  @IsOptional()
  @Transform(toDate)
  @IsDateTime('closeAt')
  closeAt?: Date | null;

  @IsOmittable()
  @ValidateNested()
  @Type(() => DisclaimerPatchDto)
  disclaimer?: DisclaimerPatchDto;
}

export class CloseArticleDto {
  @ApiPropertyOptional({ description: 'Shown to readers; defaults to the settings' })
  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  message?: string;
}

export class ListArticlesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Find the one article with this url (anyone may ask)' })
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  @IsStorableText()
  url?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOmittable()
  @IsIn(['true', 'false'])
  closed?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Moderators: a fragment of the title or the url' })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  q?: string;
}
