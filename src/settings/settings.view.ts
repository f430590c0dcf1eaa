import { ModerationMode, ModerationSettings, RateLimits, TrailingSlashPolicy } from './moderation-settings.entity';

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
  version: number;
  updatedAt: Date;

  static of(s: ModerationSettings): SettingsView {
    const { id: _id, ...rest } = s;
    return Object.assign(new SettingsView(), rest);
  }
}
