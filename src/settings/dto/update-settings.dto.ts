import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';
import {
  MODERATION_MODES,
  ModerationMode,
  REPLY_DEPTH_MAX,
  REPLY_DEPTH_MIN,
  TRAILING_SLASH_POLICIES,
  TrailingSlashPolicy,
} from '../moderation-settings.entity';

/** A field left out is kept as it is. */
export class RateLimitDto {
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100000)
  limit?: number;

  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(86400)
  perSeconds?: number;
}

/**
 * Each limit allows `limit` requests at once, then one more every perSeconds / limit seconds.
 * A limit left out is kept as it is.
 */
export class RateLimitsDto {
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitDto)
  post?: RateLimitDto;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitDto)
  edit?: RateLimitDto;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitDto)
  report?: RateLimitDto;

  @ApiPropertyOptional({ description: 'Every request from one client address' })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitDto)
  address?: RateLimitDto;

  @ApiPropertyOptional({ description: 'Articles created by embeds on a first read, per client address' })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitDto)
  createArticle?: RateLimitDto;
}

/**
 * An absolute http(s) URL up to its path's first slash at least ("https://news.example" would
 * also match "https://news.example.evil/"), with no user name, query or fragment.
 */
export const URL_PREFIX = /^https?:\/\/[^/?#\s@\\]+\/[^?#\s]*$/;

/** Every field is optional: the ones given are changed, the rest kept. */
export class UpdateSettingsDto {
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @IsStorableText({ each: true })
  bannedWords?: string[];

  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @IsStorableText({ each: true })
  suspectWords?: string[];

  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxLinks?: number;

  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  premodNewCommenters?: number;

  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1000)
  reportThreshold?: number;

  @IsOmittable()
  @IsIn(MODERATION_MODES)
  defaultModerationMode?: ModerationMode;

  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  defaultDisclaimerText?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  defaultClosedMessage?: string;

  /** null switches automatic closing off. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  autoCloseAfterDays?: number | null;

  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  editWindowSeconds?: number;

  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(50000)
  maxCommentLength?: number;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitsDto)
  rateLimits?: RateLimitsDto;

  @ApiPropertyOptional({
    type: [String],
    description:
      'URL prefixes under which an embed creates a missing article on its first read, e.g. "https://news.example/"; empty: never. When the site has origins stored (its admin sets them), each prefix must lie under one of them (else 400)',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  @Matches(URL_PREFIX, {
    each: true,
    message:
      'each of articleAutoCreatePrefixes must be an http(s) URL with at least the slash after its host, and no user name, query or fragment',
  })
  articleAutoCreatePrefixes?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'The query parameters that name an article, such as "p" for "?p=123"; every other one (utm_source, fbclid…) is dropped from article URLs. Default: none',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Matches(/^[^\s&=#]+$/, {
    each: true,
    message: 'each of articleUrlQueryParams must be a parameter name, without spaces, "&", "=" or "#"',
  })
  articleUrlQueryParams?: string[];

  @ApiPropertyOptional({
    enum: TRAILING_SLASH_POLICIES,
    description:
      'Whether "/a/" and "/a" are one article, stored without the slash (strip, the default) or with it (add), or two articles (keep)',
  })
  @IsOmittable()
  @IsIn(TRAILING_SLASH_POLICIES)
  articleUrlTrailingSlash?: TrailingSlashPolicy;

  @ApiPropertyOptional({
    type: [String],
    description:
      'The labels a moderator picks from when rejecting a comment (its author sees the one picked): up to 30, each 1 to 60 characters, none twice; empty: free text only',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique({ message: 'rejectionReasons must not hold a label twice' })
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  @Matches(/^\S(.*\S)?$/s, { each: true, message: 'each of rejectionReasons must not begin or end with a space' })
  @IsStorableText({ each: true })
  rejectionReasons?: string[];

  /** Articles that embeds may create in an hour, all client addresses together (100 by default). */
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100000)
  articleCreationsPerHour?: number;

  @ApiPropertyOptional({
    minimum: REPLY_DEPTH_MIN,
    maximum: REPLY_DEPTH_MAX,
    description:
      "How many levels of replies the readers' embed indents (3 by default); deeper replies are listed at the deepest level, each naming the comment it answers. Posting a reply is not limited by it",
  })
  @IsOmittable()
  @IsInt()
  @Min(REPLY_DEPTH_MIN)
  @Max(REPLY_DEPTH_MAX)
  replyDepth?: number;
}
