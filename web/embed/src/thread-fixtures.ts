/** Comments, pages and states as the service sends them, for the thread's unit tests. */
import type { Comment, Head, ThreadPage } from './api';
import { reduce } from './thread-reducer';
import { initialThread, type Reader, type Sort, type ThreadAction, type ThreadState } from './thread-state';

export const ADA: Reader = { id: 'ada', name: 'Ada' };

export function comment(id: string, extra: Partial<Comment> = {}): Comment {
  return {
    id,
    articleId: 'article',
    parentId: null,
    author: { id: 'bob', name: 'Bob' },
    body: `Comment ${id}`,
    status: 'published',
    moderationReasons: [],
    rejectionReason: null,
    replyCount: 0,
    createdAt: '2026-01-01T00:00:00Z',
    editedAt: null,
    deleted: false,
    ...extra,
  };
}

export const reply = (id: string, parentId: string, extra: Partial<Comment> = {}) =>
  comment(id, { parentId, ...extra });

export function head(extra: Partial<Head> = {}): Head {
  return {
    id: 'article',
    closed: false,
    closedMessage: null,
    disclaimer: { show: true, text: 'Be kind.' },
    editWindowSeconds: 900,
    replyDepth: 3,
    ...extra,
  };
}

export function page(items: Comment[], nextCursor: string | null = null, article = head()): ThreadPage {
  return { article, items, nextCursor };
}

/** A thread with `items` as its first page. */
export function listed(
  items: Comment[],
  options: { sort?: Sort; me?: Reader | null; nextCursor?: string | null; count?: number } = {},
): ThreadState {
  let state = initialThread(options.sort ?? 'newest', options.me ?? null);
  state = reduce(state, { type: 'counted', count: options.count ?? items.length });
  return reduce(state, { type: 'listed', page: page(items, options.nextCursor ?? null), etag: '"v1"' });
}

/** Reduces the actions in turn. */
export const run = (state: ThreadState, ...actions: ThreadAction[]): ThreadState => actions.reduce(reduce, state);

/** The thread as it would be drawn: each top-level comment's id, with its replies' ids. */
export function tree(state: ThreadState): (string | [string, string[]])[] {
  return state.top.map((id) => {
    const replies = state.comments.get(id)!.replies;
    return replies.length ? [id, [...replies]] : id;
  });
}

export const created = (c: Comment, focused: string[] = []): ThreadAction => ({
  type: 'event',
  event: { type: 'comment.created', data: c },
  focused,
});
