import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { MODERATION_MODES, ModerationMode } from '../../articles/article.entity';
import { IsStorableText } from '../../common/text';

/** Every field is optional: the ones given are changed, the rest kept. */
export class UpdateSettingsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @IsStorableText({ each: true })
  bannedWords?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @IsStorableText({ each: true })
  suspectWords?: string[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxLinks?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  premodNewCommenters?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  reportThreshold?: number;

  @IsOptional()
  @IsIn(MODERATION_MODES)
  defaultModerationMode?: ModerationMode;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  defaultDisclaimerText?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @IsStorableText()
  defaultClosedMessage?: string;

  /** null switches automatic closing off. */
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  autoCloseAfterDays?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  editWindowSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50000)
  maxCommentLength?: number;
}
