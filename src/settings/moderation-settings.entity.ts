import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Site } from '../sites/site.entity';

export interface RateLimit {
  /** Requests at once (the burst); after that, one more every perSeconds / limit seconds. */
  limit: number;
  perSeconds: number;
}

export interface RateLimits {
  post: RateLimit;
  edit: RateLimit;
  report: RateLimit;
  /** Articles created by embeds on a first read (articleAutoCreatePrefixes), per client address. */
  createArticle: RateLimit;
  /** Every request from one client address. */
  address: RateLimit;
}

/** How articles are moderated: comments published at once (post) or held for review (pre). */
export const MODERATION_MODES = ['post', 'pre'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

/** Whether `/a/` and `/a` are one article, stored as `/a` (strip) or `/a/` (add), or two (keep). */
export const TRAILING_SLASH_POLICIES = ['strip', 'add', 'keep'] as const;
export type TrailingSlashPolicy = (typeof TRAILING_SLASH_POLICIES)[number];

export const DEFAULT_REJECTION_REASONS_SQL = `'{"Off topic","Abusive or insulting","Spam or advertising","Personal information",Misinformation,Duplicate}'`;

/** The deepest nesting of replies the embed draws (1: replies under top-level comments only). */
export const REPLY_DEPTH_MIN = 1;
export const REPLY_DEPTH_MAX = 10;

export const RATE_LIMIT_NAMES = ['post', 'edit', 'report', 'createArticle', 'address'] as const;

/** A site's moderation settings, one row per site with the site's id. */
@Entity('moderation_settings')
@Check('CHK_moderation_settings_mode', `"default_moderation_mode" IN ('post', 'pre')`)
@Check('CHK_moderation_settings_trailing_slash', `"article_url_trailing_slash" IN ('strip', 'add', 'keep')`)
@Check('CHK_moderation_settings_article_creations', `"article_creations_per_hour" >= 1`)
@Check('CHK_moderation_settings_rate_limits', `valid_rate_limits("rate_limits")`)
@Check('CHK_moderation_settings_reply_depth', `"reply_depth" BETWEEN 1 AND 10`)
@Check('CHK_moderation_settings_rejection_reasons', `valid_reason_labels("rejection_reasons")`)
@Check(
  'CHK_moderation_settings_ranges',
  `"max_links" >= 0 AND "premod_new_commenters" >= 0 AND "report_threshold" >= 1 AND "edit_window_seconds" >= 0 AND "max_comment_length" >= 1 AND ("auto_close_after_days" IS NULL OR "auto_close_after_days" >= 1)`,
)
export class ModerationSettings {
  /** The site's id. */
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @OneToOne(() => Site)
  @JoinColumn({ name: 'id', foreignKeyConstraintName: 'FK_moderation_settings_site' })
  site?: Site;

  @Column({ name: 'banned_words', type: 'text', array: true, default: () => "'{}'" })
  bannedWords: string[];

  @Column({ name: 'suspect_words', type: 'text', array: true, default: () => "'{}'" })
  suspectWords: string[];

  @Column({ name: 'max_links', type: 'int', default: 5 })
  maxLinks: number;

  @Column({ name: 'premod_new_commenters', type: 'int', default: 0 })
  premodNewCommenters: number;

  @Column({ name: 'report_threshold', type: 'int', default: 3 })
  reportThreshold: number;

  @Column({ name: 'default_moderation_mode', type: 'varchar', length: 8, default: 'post' })
  defaultModerationMode: ModerationMode;

  @Column({ name: 'default_disclaimer_text', type: 'text', default: 'The comments below have not been moderated.' })
  defaultDisclaimerText: string;

  @Column({
    name: 'default_closed_message',
    type: 'text',
    default: 'We are no longer accepting comments on this article.',
  })
  defaultClosedMessage: string;

  @Column({ name: 'auto_close_after_days', type: 'int', nullable: true })
  autoCloseAfterDays: number | null;

  @Column({ name: 'edit_window_seconds', type: 'int', default: 600 })
  editWindowSeconds: number;

  @Column({ name: 'max_comment_length', type: 'int', default: 5000 })
  maxCommentLength: number;

  /**
   * URL prefixes (scheme, host and the path's first slash at least) under which an embed's first
   * read of a missing article creates it; empty: articles are created by moderators only.
   */
  @Column({ name: 'article_auto_create_prefixes', type: 'text', array: true, default: () => "'{}'" })
  articleAutoCreatePrefixes: string[];

  /** The query parameters that name an article (`p` of `?p=123`); every other one is dropped from its URL. */
  @Column({ name: 'article_url_query_params', type: 'text', array: true, default: () => "'{}'" })
  articleUrlQueryParams: string[];

  /** Whether `/a/` and `/a` are one article, stored without (strip) or with (add) the slash, or two (keep). */
  @Column({ name: 'article_url_trailing_slash', type: 'varchar', length: 8, default: 'strip' })
  articleUrlTrailingSlash: TrailingSlashPolicy;

  /** Articles that embeds may create in an hour, from all addresses together. */
  @Column({ name: 'article_creations_per_hour', type: 'int', default: 100 })
  articleCreationsPerHour: number;

  /** Per-user and per-address request limits; see RateLimits. Set by the migration, whole (valid_rate_limits). */
  @Column({ name: 'rate_limits', type: 'jsonb' })
  rateLimits: RateLimits;

  /** The labels a moderator picks from when rejecting a comment (valid_reason_labels: up to 30, 1 to 60 characters, none twice). */
  @Column({ name: 'rejection_reasons', type: 'text', array: true, default: () => DEFAULT_REJECTION_REASONS_SQL })
  rejectionReasons: string[];

  /**
   * How many levels of replies the readers' embed indents; replies deeper than that are drawn at
   * the deepest level, each naming the comment it answers. Posting is not limited by it.
   */
  @Column({ name: 'reply_depth', type: 'smallint', default: 3 })
  replyDepth: number;

  /** Bumped on every change, so that what is built from the settings can be rebuilt. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
