import { Draft } from './thread-draft';
import type { Strings } from './i18n';
import type { ThreadAction, ThreadState } from './thread-state';

/** The state after `action`; `state` itself is left as it was. */
export function reduce(state: ThreadState, action: ThreadAction): ThreadState {
  const draft = new Draft(state);
  draft[action.type](action as never);
  return draft.s;
}

/**
 * The first comment that an action drew, in reading order (a top-level one before a reply): where
 * the reader's focus goes after asking for more.
 */
export function firstDrawn(before: ThreadState, after: ThreadState): string | undefined {
  for (const id of after.top) if (!before.comments.has(id)) return id;
  for (const id of after.comments.keys()) if (!before.comments.has(id)) return id;
}

/** What the reader is told of a change that came by itself (a poll, an event). */
export function news(before: ThreadState, after: ThreadState): ('closed' | 'reopened' | 'fresh')[] {
  const said: ('closed' | 'reopened' | 'fresh')[] = [];
  if (before.head && after.head && before.head.closed !== after.head.closed)
    said.push(after.head.closed ? 'closed' : 'reopened');
  if (after.fresh.length > before.fresh.length) said.push('fresh');
  return said;
}

/** The news of `news`, in the reader's words. */
export const newsText = (before: ThreadState, after: ThreadState, t: Strings): string[] =>
  news(before, after).map((what) =>
    what === 'fresh' ? t.newComments(after.fresh.length) : what === 'closed' ? t.closedNow : t.reopenedNow,
  );
