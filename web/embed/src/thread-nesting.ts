import type { Head } from './api';
import { isVisible, type Shown, type ThreadState } from './thread-state';

/**
 * Replies to replies: how deep the thread indents them (the settings' replyDepth, given with the
 * article), and what a reply drawn past that depth says of the comment it answers. The tree of
 * comments stays whole at every depth; only its drawing stops indenting.
 */

/** What a service that does not say its depth gets: the settings' default. */
export const DEFAULT_REPLY_DEPTH = 3;

export const replyDepthOf = (head: Head | null): number => head?.replyDepth ?? DEFAULT_REPLY_DEPTH;

/** Whether a comment's replies are drawn at its own level, one under another, rather than indented. */
export const repliesFlat = (shown: Shown, head: Head | null): boolean => shown.depth >= replyDepthOf(head);

/** The comment a reply answers, when the reply is drawn past the depth (so not indented under it). */
export function answered(state: ThreadState, shown: Shown): Shown | undefined {
  const parentId = shown.c.parentId;
  if (!parentId || shown.depth <= replyDepthOf(state.head)) return undefined;
  return state.comments.get(parentId);
}

/**
 * The replies the service counts that are not drawn yet ("Show N more replies"). The service
 * counts listed replies only: the reader's own held ones, drawn among them, are not taken off.
 */
export function repliesNotDrawn(state: ThreadState, shown: Shown): number {
  const drawn = shown.replies.filter((id) => {
    const reply = state.comments.get(id);
    return reply && isVisible(reply.c);
  }).length;
  return Math.max(0, shown.replyCount - drawn);
}
