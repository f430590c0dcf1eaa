import type { Head } from './api';
import { Draft } from './thread-draft';
import type { ThreadAction, ThreadState } from './thread-state';

export function reduce(state: ThreadState, action: ThreadAction): ThreadState {
  switch (action.type) {
    case 'signedIn':
      return { ...state, me: action.me };
    case 'sorted':
      return { ...state, sort: action.sort };
    case 'counted':
      return { ...state, count: action.count };
    case 'headChanged':
      return withHead(state, action.head);
    case 'listed': {
      const draft = new Draft({
        ...withHead(state, action.page.article),
        etag: action.etag,
        comments: new Map(),
        top: [],
        fresh: [],
        listing: state.listing + 1,
      });
      draft.appendPage(action.page);
      return draft.done();
    }
    case 'moreListed':
      return new Draft(state).appendPage(action.page).done();
    case 'repliesListed': {
      const draft = new Draft(state);
      if (!draft.get(action.parentId)) return state;
      for (const reply of action.page.items) draft.addReply(action.parentId, reply);
      draft.set(action.parentId, { ...draft.get(action.parentId)!, repliesCursor: action.page.nextCursor });
      return draft.done();
    }
    case 'polled': {
      const draft = new Draft({ ...withHead(state, action.page.article), etag: action.etag });
      for (const c of action.page.items) {
        const shown = draft.get(c.id);
        if (!shown) draft.event({ type: 'comment.created', data: c }, []);
        else if (c.body !== shown.c.body || c.status !== shown.c.status || c.deleted !== shown.c.deleted)
          draft.replace(c.id, c);
      }
      return draft.done();
    }
    case 'event':
      if (action.event.type === 'article.updated') return withHead(state, action.event.data);
      return new Draft(state).event(action.event, action.focused).done();
    case 'posted':
      return new Draft(state).posted(action.comment, action.live).done();
    case 'updated': {
      const draft = new Draft(state);
      if (draft.get(action.comment.id)) draft.replace(action.comment.id, action.comment);
      return draft.done();
    }
    case 'removed': {
      const draft = new Draft(state);
      if (!action.live) draft.s.count--;
      if (draft.get(action.id)) draft.drop(action.id);
      return draft.done();
    }
    case 'freshShown':
      return new Draft(state).showFresh().done();
  }
}

/** The same header again changes nothing (a poll's or an event's): nothing is redrawn for it. */
function withHead(state: ThreadState, head: Head): ThreadState {
  return JSON.stringify(head) === JSON.stringify(state.head) ? state : { ...state, head };
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
