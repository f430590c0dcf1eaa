import { ApiProperty } from '@nestjs/swagger';
import {
  REPLY_DEPTH_MAX,
  REPLY_DEPTH_MIN,
  ModerationMode,
  ModerationSettings,
  RateLimits,
  TrailingSlashPolicy,
} from './moderation-settings.entity';

export class SettingsView {
  bannedWords: string[];
  suspectWords: string[];
  maxLinks: number;
  premodNewCommenters: number;
  reportThreshold: number;
  defaultModerationMode: ModerationMode;
  defaultDisclaimerText: string;
  defaultClosedMessage: string;
  autoCloseAfterDays: number | null;
  editWindowSeconds: number;
  maxCommentLength: number;
  articleAutoCreatePrefixes: string[];
  articleUrlQueryParams: string[];
  articleUrlTrailingSlash: TrailingSlashPolicy;
  articleCreationsPerHour: number;
  rateLimits: RateLimits;
  rejectionReasons: string[];
  @ApiProperty({
    description: `How many levels of replies the readers' embed indents (${REPLY_DEPTH_MIN} to ${REPLY_DEPTH_MAX}); deeper replies are listed at the deepest level, each naming the comment it answers`,
  })
  replyDepth: number;
  version: number;
  updatedAt: Date;

  static of(s: ModerationSettings): SettingsView {
    const { id: _id, ...rest } = s;
    return Object.assign(new SettingsView(), rest);
  }
}
