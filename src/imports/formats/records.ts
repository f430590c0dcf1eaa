import { createHash } from 'node:crypto';
import { ImportLimits } from '../import-limits';
import { validArticleUrl } from '../import-validation';

/** A thread of the source (a Disqus thread, a WordPress post): becomes an article, matched by URL. */
export interface SourceThread {
  sourceId: string;
  url: string | null;
  title: string | null;
  createdAt: Date | null;
  closed: boolean;
  /** Why its comments are not imported: deleted in the source, or no usable URL to match. */
  skip: 'deleted' | 'no_url' | null;
}

export type ImportedStatus = 'approved' | 'pending' | 'rejected';

export interface SourceComment {
  /** The source's id, kept as a string (Disqus ids run to 19 digits). */
  sourceId: string;
  threadSourceId: string | null;
  parentSourceId: string | null;
  authorId: string;
  authorName: string | null;
  /** Plain text; empty for deleted comments, which are kept only as tombstones of their replies. */
  body: string;
  status: ImportedStatus;
  deleted: boolean;
  createdAt: Date;
  line: number;
}

export const SKIP_REASONS = ['spam', 'trash', 'notComment', 'empty', 'invalid'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Where a format's reader puts what it finds, as it finds it. */
export interface ImportSink {
  thread(thread: SourceThread): void;
  comment(comment: SourceComment): void;
  skipped(reason: SkipReason): void;
  problem(line: number, message: string): void;
  /** A name that comes apart from the comments (Commento's commenters): applied once the file is read. */
  author?(id: string, name: string): void;
}

/** A format's reader: fed the file as text, in pieces, in order. */
export interface FormatReader {
  write(text: string): void;
  end(): void;
}

export interface ReaderOptions {
  skipSpam: boolean;
  urlPrefix?: string;
  limits: ImportLimits;
}

/** A URL that an article can be matched by: one the API's create route takes (absolute http or https). */
export function usableUrl(raw: string | undefined | null): string | null {
  const url = typeof raw === 'string' ? raw.trim() : '';
  return url ? validArticleUrl(url) : null;
}

/** Guests have no id in the source: one from what identifies them there, hashed (their email is not stored). */
export function guestId(source: string, email: string | undefined, name: string | undefined): string {
  const basis = email?.trim().toLowerCase() || `name:${name?.trim() ?? ''}`;
  return `${source}:guest-${createHash('sha256').update(basis).digest('hex').slice(0, 16)}`;
}

/** `SOURCE:username`, within the 200 characters of a user id. */
export function sourceUserId(source: string, username: string): string {
  return `${source}:${username.trim()}`.slice(0, 200);
}

/** A date in UTC: ISO 8601 with or without its zone (then UTC), or WordPress's `YYYY-MM-DD HH:MM:SS` in GMT. */
export function utcDate(raw: string | undefined): Date | null {
  const text = raw?.trim();
  if (!text || text.startsWith('0000-00-00')) return null;
  const iso = text.replace(' ', 'T');
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(iso) ? iso : `${iso}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}
