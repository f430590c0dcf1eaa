import type { Comment } from './api';
import { ADA, comment, created, head, listed, reply, run } from './thread-fixtures';
import { reduce } from './thread-reducer';
import { answered, repliesFlat, repliesNotDrawn } from './thread-nesting';
import type { ThreadAction, ThreadState } from './thread-state';

/** The thread as drawn, at every depth: an id, or an id with what is drawn under it. */
type Node = string | [string, Node[]];
function nested(state: ThreadState, ids: readonly string[] = state.top): Node[] {
  return ids.map((id) => {
    const replies = state.comments.get(id)!.replies;
    return replies.length ? [id, nested(state, replies)] : id;
  });
}

const mine = (id: string, parentId: string, extra: Partial<Comment> = {}) =>
  reply(id, parentId, { author: { id: 'ada', name: 'Ada' }, ...extra });
const repliesOf = (parentId: string, items: Comment[], nextCursor: string | null = null): ThreadAction => ({
  type: 'repliesListed',
  parentId,
  page: { items, nextCursor },
});
const shown = (state: ThreadState, id: string) => state.comments.get(id)!;

/** 1 ─ 1a (2 replies, none read yet). */
const thread = (options: Parameters<typeof listed>[1] = {}) =>
  listed([comment('1', { replyCount: 1, replies: [reply('1a', '1', { replyCount: 2 })] })], options);

describe('the thread reducer: replies to replies', () => {
  it('reads the replies of a reply through its own pages, under it, a level deeper', () => {
    const before = thread();
    expect(repliesNotDrawn(before, shown(before, '1a'))).toBe(2);
    const after = run(
      before,
      repliesOf('1a', [reply('1a1', '1a', { replyCount: 1 })], 'r1'),
      repliesOf('1a', [reply('1a2', '1a')]),
      repliesOf('1a1', [reply('1a1x', '1a1')]),
    );
    expect(nested(after)).toEqual([['1', [['1a', [['1a1', ['1a1x']], '1a2']]]]]);
    expect([0, 1, 2, 3].map((d) => ['1', '1a', '1a1', '1a1x'][d]).map((id) => shown(after, id).depth)).toEqual([
      0, 1, 2, 3,
    ]);
    expect(shown(run(before, repliesOf('1a', [reply('1a1', '1a')], 'r1')), '1a').repliesCursor).toBe('r1');
    expect(repliesNotDrawn(after, shown(after, '1a'))).toBe(0);
  });

  it("draws the reader's reply to a reply under its parent at once, counted there once", () => {
    const before = thread({ me: ADA });
    const posted = mine('1ax', '1a');
    const after = run(before, { type: 'posted', comment: posted, live: true }, created(posted), {
      type: 'posted',
      comment: posted,
      live: true,
    });
    expect(nested(after)).toEqual([['1', [['1a', ['1ax']]]]]);
    expect(shown(after, '1ax').depth).toBe(2);
    expect(shown(after, '1a').replyCount).toBe(3);
    expect(repliesNotDrawn(after, shown(after, '1a'))).toBe(2); // the two read later, not the reader's
  });

  it("does not count the reader's held reply among those the service counts", () => {
    const after = reduce(thread({ me: ADA }), {
      type: 'posted',
      comment: mine('1ax', '1a', { status: 'pending' }),
      live: true,
    });
    expect(shown(after, '1a').replyCount).toBe(2);
    expect(repliesNotDrawn(after, shown(after, '1a'))).toBe(2);
    // Published by moderation: now one the service counts.
    const published = reduce(after, {
      type: 'event',
      event: { type: 'comment.published', data: mine('1ax', '1a') },
      focused: [],
    });
    expect(shown(published, '1a').replyCount).toBe(3);
    expect(repliesNotDrawn(published, shown(published, '1a'))).toBe(2);
  });

  it("lands another reader's reply to a reply under its parent when drawn, and counts it there meanwhile", () => {
    const before = thread();
    const waiting = run(before, created(reply('1ay', '1a')), created(reply('1ayz', '1ay')));
    expect(waiting.fresh.map((c) => c.id)).toEqual(['1ay', '1ayz']); // a reply to a fresh reply waits with it
    expect(shown(waiting, '1a').replyCount).toBe(3);
    expect(waiting.count).toBe(3);
    const drawn = reduce(waiting, { type: 'freshShown' });
    expect(nested(drawn)).toEqual([['1', [['1a', [['1ay', ['1ayz']]]]]]]);
    expect(shown(drawn, '1ayz').depth).toBe(3);
    expect(repliesNotDrawn(drawn, shown(drawn, '1a'))).toBe(2);
  });

  it('only counts a reply whose parent is not drawn: the article gains it, the tree does not', () => {
    const before = thread();
    const after = reduce(before, created(reply('deep', 'not-drawn')));
    expect(after.fresh).toEqual([]);
    expect(after.comments).toBe(before.comments);
    expect(after.count).toBe(before.count + 1);
  });

  it('uncounts a reply taken away before it was drawn, but not one that stays as a tombstone', () => {
    const before = thread();
    const hidden = reduce(before, {
      type: 'event',
      event: { type: 'comment.hidden', data: { id: 'unread', parentId: '1a' } },
      focused: [],
    });
    expect(shown(hidden, '1a').replyCount).toBe(1);
    const tombstone = reduce(before, {
      type: 'event',
      event: { type: 'comment.deleted', data: reply('unread', '1a', { replyCount: 1, deleted: true }) },
      focused: [],
    });
    expect(shown(tombstone, '1a').replyCount).toBe(2);
  });

  it('takes away a tombstone whose last reply went, up the tree', () => {
    const before = run(
      listed([comment('1', { replyCount: 1, replies: [reply('1a', '1', { replyCount: 1 })] })], { me: ADA }),
      repliesOf('1a', [mine('1a1', '1a')]),
      { type: 'event', event: { type: 'comment.deleted', data: reply('1a', '1', { replyCount: 1 }) }, focused: [] },
    );
    expect(shown(before, '1a').c.deleted).toBe(true);
    const after = reduce(before, { type: 'removed', id: '1a1', live: true });
    expect(nested(after)).toEqual(['1']);
    expect(after.comments.has('1a')).toBe(false);
    expect(shown(after, '1').replyCount).toBe(0);
  });

  it('indents to the depth the article gives, then lists replies flat, each naming the comment it answers', () => {
    const chain = ['1', '2', '3', '4', '5'];
    let state = listed([comment('1', { replyCount: 1 })], {});
    for (let i = 1; i < chain.length; i++)
      state = reduce(state, repliesOf(chain[i - 1], [reply(chain[i], chain[i - 1], { replyCount: 1 })]));
    const depth3 = chain.map((id) => repliesFlat(shown(state, id), state.head));
    expect(depth3).toEqual([false, false, false, true, true]);
    expect(chain.map((id) => answered(state, shown(state, id))?.c.id)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined, // the third level of replies, still indented
      '4',
    ]);
    const deeper = reduce(state, { type: 'headChanged', head: head({ replyDepth: 10 }) });
    expect(chain.map((id) => repliesFlat(shown(deeper, id), deeper.head))).toEqual([false, false, false, false, false]);
    const one = reduce(state, { type: 'headChanged', head: head({ replyDepth: 1 }) });
    expect(chain.map((id) => answered(one, shown(one, id))?.c.id)).toEqual([undefined, undefined, '2', '3', '4']);
  });
});
