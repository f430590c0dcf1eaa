/**
 * The one owner of a comment's state in TypeScript: its statuses, which of them readers see (and
 * count_visible counts), and the decisions that move a comment between them. The database's side
 * is migrations/functions/comment_status_listed.sql, comment_listed.sql and
 * comment_transition_allowed.sql; test/comment-state.e2e-spec.ts proves the two agree.
 */
export const COMMENT_STATUSES = ['published', 'pending', 'approved', 'rejected'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** Shown to readers in threads and reply lists, and counted in an article's count_visible. */
export const LISTED_STATUSES: readonly CommentStatus[] = ['published', 'approved'];

export const isListedStatus = (status: CommentStatus | null): boolean =>
  status !== null && LISTED_STATUSES.includes(status);

/**
 * Listed: shown in threads and reply lists. A deleted comment stays listed, as a tombstone, while
 * it has listed replies, which is why reply_count counts listed replies rather than live ones.
 */
export const isListed = (status: CommentStatus, deleted: boolean, replyCount: number): boolean =>
  isListedStatus(status) && (!deleted || replyCount > 0);

/** SQL: whether `column` holds a listed status (written out, so that partial indexes over it apply). */
export const listedStatusSql = (column: string): string =>
  `${column} IN (${LISTED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** SQL: whether the comment aliased `c` is listed (isListed), written out like listedStatusSql. */
export const listedCommentSql = (c: string): string =>
  `${listedStatusSql(`${c}.status`)} AND (${c}.deleted_at IS NULL OR ${c}.reply_count > 0)`;

/** A moderator's decisions, and the moves each allows. */
export type Decision = 'approve' | 'reject' | 'restore';
export const DECISIONS: Record<Decision, { from: readonly CommentStatus[]; to: readonly CommentStatus[] }> = {
  approve: { from: COMMENT_STATUSES, to: ['approved'] },
  reject: { from: COMMENT_STATUSES, to: ['rejected'] },
  /** Takes an approval or a rejection back, to the status the comment had before it. */
  restore: { from: ['approved', 'rejected'], to: ['pending', 'published'] },
};

export const transitionAllowed = (decision: Decision, from: CommentStatus, to: CommentStatus): boolean =>
  DECISIONS[decision].from.includes(from) && DECISIONS[decision].to.includes(to);

/** The status an approval or a rejection gives. */
export const DECIDED_STATUS: Record<Exclude<Decision, 'restore'>, CommentStatus> = {
  approve: 'approved',
  reject: 'rejected',
};

/** The moderation rules' verdicts, as the log names the system's decisions. */
export const SYSTEM_ACTION: Record<CommentStatus, string> = {
  pending: 'hold',
  rejected: 'reject',
  published: 'publish',
  approved: 'approve',
};
