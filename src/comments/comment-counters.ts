import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { CommentStatus, isListedStatus, isListed as isListedState } from './comment-state';

/** What of a comment the stored counts depend on. */
export interface CountedState {
  status: CommentStatus;
  deleted: boolean;
  reported: boolean;
}

const COUNT_COLUMNS = ['visible', 'pending', 'published', 'approved', 'rejected', 'reported'] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];

/** Deleted comments leave every count; the others count once under their status. */
function contributions(state: CountedState | null): Record<CountColumn, number> {
  const live = state !== null && !state.deleted;
  return {
    visible: live && isListedStatus(state.status) ? 1 : 0,
    pending: live && state.status === 'pending' ? 1 : 0,
    published: live && state.status === 'published' ? 1 : 0,
    approved: live && state.status === 'approved' ? 1 : 0,
    rejected: live && state.status === 'rejected' ? 1 : 0,
    reported: live && state.reported ? 1 : 0,
  };
}

export function countDeltas(before: CountedState | null, after: CountedState | null): Record<CountColumn, number> {
  const b = contributions(before);
  const a = contributions(after);
  return Object.fromEntries(COUNT_COLUMNS.map((c) => [c, a[c] - b[c]])) as Record<CountColumn, number>;
}

/** Listed (comment-state.ts), or not when there is no comment. */
export function isListed(state: CountedState | null, replyCount: number): boolean {
  return state !== null && isListedState(state.status, state.deleted, replyCount);
}

export interface CountedComment {
  articleId: string;
  parentId: string | null;
  replyCount: number;
}

/**
 * The article's counters moved by one comment's change of state, as the terms of an
 * `UPDATE articles SET`, their values numbered from `$first`; empty when nothing moves.
 */
function articleCountSets(
  before: CountedState | null,
  after: CountedState | null,
  first: number,
): { sets: string; values: number[] } {
  const deltas = countDeltas(before, after);
  const changed = COUNT_COLUMNS.filter((c) => deltas[c] !== 0);
  return {
    sets: changed.map((c, i) => `count_${c} = count_${c} + $${first + i}`).join(', '),
    values: changed.map((c) => deltas[c]),
  };
}

/**
 * Moves the article's counts, and the reply counts up the comment's ancestors, by one comment's
 * change of state (post_comments() and decide_comment() move theirs by comment_count_deltas(),
 * the same rule in SQL). Called in the transaction that makes the change, after the article row
 * was locked (which also serializes the ancestors' updates).
 */
export async function applyCountChange(
  manager: EntityManager,
  comment: CountedComment,
  before: CountedState | null,
  after: CountedState | null,
): Promise<void> {
  const { sets, values } = articleCountSets(before, after, 2);
  if (sets) await sql(manager, `UPDATE articles SET ${sets} WHERE id = $1`, [comment.articleId, ...values]);
  await applyReplyCountChange(manager, comment, before, after);
}

/** The reply counts up the comment's ancestors: move_reply_counts(), which the SQL writers call too. */
async function applyReplyCountChange(
  manager: EntityManager,
  comment: CountedComment,
  before: CountedState | null,
  after: CountedState | null,
): Promise<void> {
  const delta = Number(isListed(after, comment.replyCount)) - Number(isListed(before, comment.replyCount));
  if (comment.parentId && delta !== 0)
    await sql(manager, `SELECT move_reply_counts($1, $2)`, [comment.parentId, delta]);
}
