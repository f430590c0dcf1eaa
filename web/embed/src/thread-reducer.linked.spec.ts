import type { CommentContext } from './api';
import { comment, created, head, listed, page, reply, run, tree } from './thread-fixtures';
import { reduce } from './thread-reducer';

/** A link to comment '2b', a reply to '2a', itself a reply to the top-level '2'. */
const context = (extra: Partial<CommentContext> = {}): CommentContext => ({
  article: head(),
  ancestors: [comment('2', { replyCount: 4 }), reply('2a', '2', { replyCount: 1 })],
  comment: reply('2b', '2a', { replyCount: 3 }),
  ...extra,
});

describe('the thread reducer: a link to one comment', () => {
  it('draws the comment alone under the comments it answers, with its first replies, and marks it', () => {
    const before = listed([comment('1'), comment('3')], { nextCursor: 'c2' });
    const after = reduce(before, {
      type: 'contextListed',
      context: context(),
      replies: { items: [reply('r1', '2b'), reply('r2', '2b')], nextCursor: 'r2' },
    });
    expect(tree(after)).toEqual([['2', ['2a']]]);
    expect(after.comments.get('2a')!.replies).toEqual(['2b']);
    expect(after.comments.get('2b')).toMatchObject({ replies: ['r1', 'r2'], replyCount: 3, repliesCursor: 'r2' });
    // The parents keep their counts: "Show more replies" reads the rest of theirs.
    expect(after.comments.get('2')).toMatchObject({ replyCount: 4 });
    expect(after.comments.get('2')!.repliesCursor).toBeUndefined();
    expect(after.linked).toEqual({ id: '2b', found: true, alone: true });
    expect(after).toMatchObject({ nextCursor: null, etag: null, fresh: [], listing: before.listing + 1 });
    expect(after.comments.has('1')).toBe(false);
  });

  it('draws a top-level comment alone, without replies when none could be read', () => {
    const after = reduce(listed([]), {
      type: 'contextListed',
      context: context({ ancestors: [], comment: comment('9') }),
      replies: null,
    });
    expect(tree(after)).toEqual(['9']);
    expect(after.linked).toEqual({ id: '9', found: true, alone: true });
  });

  it('marks a comment drawn already, or one the reader may not see, and forgets both when the list is read afresh', () => {
    const state = listed([comment('1'), comment('2')]);
    const marked = reduce(state, { type: 'linkMarked', id: '2', found: true });
    expect(marked.linked).toEqual({ id: '2', found: true, alone: false });
    expect(marked.comments).toBe(state.comments); // nothing else to redraw
    const missing = reduce(state, { type: 'linkMarked', id: 'gone', found: false });
    expect(missing.linked).toEqual({ id: 'gone', found: false, alone: false });
    expect(reduce(missing, { type: 'listed', page: page([comment('1')]), etag: null }).linked).toBeNull();
  });

  it('keeps the comment alone while the first page is polled, and holds new top-level comments for the whole thread', () => {
    const alone = reduce(listed([comment('1')]), { type: 'contextListed', context: context(), replies: null });
    const polled = reduce(alone, { type: 'polled', page: page([comment('new'), comment('1')]), etag: '"v2"' });
    expect(tree(polled)).toEqual(tree(alone));
    expect(polled.fresh).toEqual([]);
    const events = run(alone, created(comment('top')), created(reply('r9', '2b')));
    expect(events.fresh.map((c) => c.id)).toEqual(['r9']); // a reply to a comment drawn is offered
    expect(events.count).toBe(alone.count + 2);
  });

  it('moves the mark to another comment of the conversation drawn alone', () => {
    const alone = reduce(listed([]), { type: 'contextListed', context: context(), replies: null });
    expect(reduce(alone, { type: 'linkMarked', id: '2a', found: true }).linked).toEqual({
      id: '2a',
      found: true,
      alone: true,
    });
  });
});
