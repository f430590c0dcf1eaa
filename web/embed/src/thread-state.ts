import type { Comment, CommentContext, CommentPage, Head, ThreadPage } from './api';

/**
 * What the thread shows, as data: every change is an action that thread-reducer.ts reduces into a
 * new state (the old one is left as it was), which the view then draws. No DOM, no network.
 */

export type Sort = 'newest' | 'oldest';

/** The signed-in reader, from the token's claims. */
export interface Reader {
  id: string;
  name: string;
  /** A ban in force, as the service said when the thread was last read: `until` null for good. */
  ban?: { until: string | null };
}

/** Why the page's token did not sign the reader in. */
export type SignInTrouble = 'invalid' | 'expired';

/** A comment as drawn, with the replies drawn under it. */
export interface Shown {
  /** The last version read; a new object whenever what is drawn of it changes. */
  readonly c: Comment;
  readonly replies: readonly string[];
  /** 0 for a top-level comment, 1 for a reply to one, 2 for a reply to that reply, and so on. */
  readonly depth: number;
  /** The replies the service counts: "N more replies" speaks of those not drawn. */
  readonly replyCount: number;
  /** Where the next page of replies starts: undefined before one was read, null after the last. */
  readonly repliesCursor?: string | null;
}

/**
 * The comment the page's address links to (`#comment-<id>`). `alone`: drawn with only the comments
 * it answers and its replies, until the reader asks for the whole thread; else marked where the
 * thread draws it. `found` false: not one this reader may see, which the thread says.
 */
export interface Linked {
  readonly id: string;
  readonly found: boolean;
  readonly alone: boolean;
}

export interface ThreadState {
  readonly me: Reader | null;
  /** The page's token was refused (by its own look or by the service): it is no longer sent. */
  readonly signInTrouble: SignInTrouble | null;
  readonly sort: Sort;
  /** The article as the thread's first page or its events last said (closed, disclaimer). */
  readonly head: Head | null;
  readonly count: number;
  /** The comments drawn, by id; `top` the top-level ones in the order drawn. */
  readonly comments: ReadonlyMap<string, Shown>;
  readonly top: readonly string[];
  readonly nextCursor: string | null;
  /** The first page's ETag, for polls. */
  readonly etag: string | null;
  /** Comments that arrived while the reader was here: drawn when the reader asks. */
  readonly fresh: readonly Comment[];
  /** Bumped when the list is read afresh: everything drawn before goes, open forms with it. */
  readonly listing: number;
  readonly linked: Linked | null;
}

export type LiveEvent =
  | { type: 'comment.created' | 'comment.published' | 'comment.edited' | 'comment.deleted'; data: Comment }
  | { type: 'comment.hidden'; data: { id: string; parentId: string | null } }
  | { type: 'article.updated'; data: Head };

export type ThreadAction =
  | { type: 'signedIn'; me: Reader | null; trouble?: SignInTrouble | null }
  /** The service refused the token (401): the reader is signed out, and told why. */
  | { type: 'signInRefused'; trouble: SignInTrouble }
  | { type: 'sorted'; sort: Sort }
  | { type: 'counted'; count: number }
  | { type: 'headChanged'; head: Head }
  /** The first page, read afresh (load, sign-in, sort). */
  | { type: 'listed'; page: ThreadPage; etag: string | null }
  | { type: 'moreListed'; page: ThreadPage }
  | { type: 'repliesListed'; parentId: string; page: CommentPage }
  /** The first page revalidated: what is new or changed in it is merged. */
  | { type: 'polled'; page: ThreadPage; etag: string | null }
  /** `focused`: the comments holding the reader's focus, which a removal leaves in place. */
  | { type: 'event'; event: LiveEvent; focused: readonly string[] }
  /** `live`: the stream is open, and its own event counts the comment. */
  | { type: 'posted'; comment: Comment; live: boolean }
  /** The service's answer to an edit, or the reader's own comment read again. */
  | { type: 'updated'; comment: Comment }
  | { type: 'removed'; id: string; live: boolean }
  | { type: 'freshShown' }
  /** The linked comment, read with the comments it answers (and its first replies): drawn alone. */
  | { type: 'contextListed'; context: CommentContext; replies: CommentPage | null }
  /** The linked comment is drawn already (found), or the reader may not see it. */
  | { type: 'linkMarked'; id: string; found: boolean };

export function initialThread(sort: Sort, me: Reader | null, signInTrouble: SignInTrouble | null = null): ThreadState {
  return {
    me,
    signInTrouble,
    sort,
    head: null,
    count: 0,
    comments: new Map(),
    top: [],
    nextCursor: null,
    etag: null,
    fresh: [],
    listing: 0,
    linked: null,
  };
}

export const isMine = (me: Reader | null, c: { author?: Comment['author'] }): boolean => !!me && c.author?.id === me.id;

export const isVisible = (c: Comment): boolean => c.status === 'published' || c.status === 'approved';
