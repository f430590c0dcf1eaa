import { EntityManager } from 'typeorm';
import { CommentStatus, VISIBLE_STATUSES } from './comment.entity';

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
    visible: live && VISIBLE_STATUSES.includes(state.status) ? 1 : 0,
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

/**
 * Moves the article's counts and the parent's reply count by one comment's change of state.
 * Called in the transaction that makes the change, after the article row was locked.
 */
export async function applyCountChange(
  manager: EntityManager,
  comment: { articleId: string; parentId: string | null },
  before: CountedState | null,
  after: CountedState | null,
): Promise<void> {
  const deltas = countDeltas(before, after);
  const changed = COUNT_COLUMNS.filter((c) => deltas[c] !== 0);
  if (changed.length > 0) {
    const sets = changed.map((c, i) => `count_${c} = count_${c} + $${i + 2}`).join(', ');
    await manager.query(`UPDATE articles SET ${sets} WHERE id = $1`, [comment.articleId, ...changed.map((c) => deltas[c])]);
  }
  if (comment.parentId && deltas.visible !== 0) {
    await manager.query(`UPDATE comments SET reply_count = reply_count + $2 WHERE id = $1`, [
      comment.parentId,
      deltas.visible,
    ]);
  }
}
