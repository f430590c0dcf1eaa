import { EntityManager } from 'typeorm';
import { ThreadEvents, ThreadEventType } from '../live/thread-events.service';
import { isListed } from './comment-counters';
import { CommentRow, toCommentView } from './comment.view';

const listed = (row: CommentRow | null) =>
  row !== null && isListed({ status: row.status, deleted: row.deleted_at !== null, reported: false }, row.reply_count);

/**
 * Tells live readers how a comment changed, as they see it (an anonymous reader's view): nothing
 * about comments they cannot see, and only the id of one that disappears.
 */
export async function recordCommentChange(
  events: ThreadEvents,
  manager: EntityManager,
  version: string,
  before: CommentRow | null,
  after: CommentRow,
): Promise<void> {
  const [was, is] = [listed(before), listed(after)];
  let type: ThreadEventType | undefined;
  if (!before) type = is ? 'comment.created' : undefined;
  else if (after.deleted_at && !before.deleted_at) type = was ? 'comment.deleted' : undefined;
  else if (was && !is) type = 'comment.hidden';
  else if (!was && is) type = 'comment.published';
  else if (was && is)
    type =
      before.body !== after.body ? 'comment.edited' : before.status !== after.status ? 'comment.published' : undefined;
  if (!type) return;
  const data = type === 'comment.hidden' ? { id: after.id, parentId: after.parent_id } : toCommentView(after);
  await events.record(manager, after.article_id, version, type, data);
}
