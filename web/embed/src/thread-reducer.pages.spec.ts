import { ADA, comment, head, listed, page, reply, run, tree } from './thread-fixtures';
import { firstDrawn, reduce } from './thread-reducer';
import { initialThread } from './thread-state';

describe('the thread reducer: pages read', () => {
  it('starts empty, with nothing read and the reader and sort it was given', () => {
    const state = initialThread('oldest', ADA);
    expect(state).toMatchObject({ me: ADA, sort: 'oldest', head: null, count: 0, top: [], fresh: [], etag: null });
    expect(state.comments.size).toBe(0);
  });

  it('draws the first page in its order, each comment with the replies it came with', () => {
    const state = listed(
      [comment('1', { replyCount: 3, replies: [reply('1a', '1'), reply('1b', '1')] }), comment('2')],
      {
        nextCursor: 'c2',
      },
    );
    expect(tree(state)).toEqual([['1', ['1a', '1b']], '2']);
    expect(state.comments.get('1')!.replyCount).toBe(3);
    expect(state.comments.get('1')!.repliesCursor).toBeUndefined(); // the first page of replies is yet to be read
    expect(state).toMatchObject({ nextCursor: 'c2', etag: '"v1"', head: head(), count: 2 });
  });

  it('reads the list afresh: what was drawn goes, fresh comments with it, and the listing number moves', () => {
    const before = run(listed([comment('1'), comment('2')]), {
      type: 'event',
      event: { type: 'comment.created', data: comment('3') },
      focused: [],
    });
    expect(before.fresh).toHaveLength(1);
    const after = reduce(before, { type: 'listed', page: page([comment('3'), comment('1')]), etag: '"v2"' });
    expect(tree(after)).toEqual(['3', '1']);
    expect(after.comments.has('2')).toBe(false);
    expect(after.fresh).toEqual([]);
    expect(after.listing).toBe(before.listing + 1);
    expect(after.etag).toBe('"v2"');
  });

  it('keeps the same header object when the page says the same: nothing to redraw', () => {
    const before = listed([comment('1')]);
    const after = reduce(before, { type: 'listed', page: page([comment('1')], null, head()), etag: null });
    expect(after.head).toBe(before.head);
    const closed = reduce(before, { type: 'listed', page: page([], null, head({ closed: true })), etag: null });
    expect(closed.head).toEqual(head({ closed: true }));
  });

  it('appends "Show more" pages, skipping comments drawn already, and moves the cursor', () => {
    const before = listed([comment('1'), comment('2')], { nextCursor: 'c2' });
    const after = reduce(before, { type: 'moreListed', page: page([comment('2'), comment('3'), comment('4')], null) });
    expect(tree(after)).toEqual(['1', '2', '3', '4']);
    expect(after.nextCursor).toBeNull();
    expect(after.comments.get('2')).toBe(before.comments.get('2'));
    expect(firstDrawn(before, after)).toBe('3');
  });

  it('finds nothing new to focus when a page brought nothing new', () => {
    const before = listed([comment('1')], { nextCursor: 'c1' });
    const after = reduce(before, { type: 'moreListed', page: page([comment('1')], null) });
    expect(firstDrawn(before, after)).toBeUndefined();
  });

  it('adds a page of replies under its comment, skipping those drawn, and keeps the cursor for the next', () => {
    const before = listed([comment('1', { replyCount: 4, replies: [reply('1a', '1')] })]);
    const after = reduce(before, {
      type: 'repliesListed',
      parentId: '1',
      page: { items: [reply('1a', '1'), reply('1b', '1'), reply('1c', '1')], nextCursor: 'r3' },
    });
    expect(tree(after)).toEqual([['1', ['1a', '1b', '1c']]]);
    expect(after.comments.get('1')).toMatchObject({ repliesCursor: 'r3', replyCount: 4 });
    expect(firstDrawn(before, after)).toBe('1b');
    const last = reduce(after, { type: 'repliesListed', parentId: '1', page: { items: [], nextCursor: null } });
    expect(last.comments.get('1')!.repliesCursor).toBeNull();
  });

  it('ignores replies to a comment that is no longer drawn', () => {
    const before = listed([comment('1')]);
    const after = reduce(before, {
      type: 'repliesListed',
      parentId: 'gone',
      page: { items: [reply('x', 'gone')], nextCursor: null },
    });
    expect(after.comments).toBe(before.comments);
  });

  it('leaves the state it was given as it was', () => {
    const before = listed([comment('1', { replies: [reply('1a', '1')] })], { nextCursor: 'c' });
    const snapshot = { ...before, comments: new Map(before.comments), top: [...before.top] };
    reduce(before, { type: 'moreListed', page: page([comment('2')]) });
    reduce(before, { type: 'removed', id: '1a', live: false });
    reduce(before, { type: 'posted', comment: comment('3'), live: false });
    expect(before).toEqual(snapshot);
    expect(before.comments.get('1')!.replies).toEqual(['1a']);
  });

  it('polls: merges what is new into the fresh comments, redraws what changed, and keeps the ETag', () => {
    const before = listed([comment('1'), comment('2')]);
    const after = reduce(before, {
      type: 'polled',
      page: page([comment('3'), comment('1', { body: 'Edited' }), comment('2')]),
      etag: '"v2"',
    });
    expect(after.fresh.map((c) => c.id)).toEqual(['3']);
    expect(after.count).toBe(3);
    expect(after.comments.get('1')!.c.body).toBe('Edited');
    expect(after.comments.get('2')).toBe(before.comments.get('2'));
    expect(after.etag).toBe('"v2"');
  });
});
