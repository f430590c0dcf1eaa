import { ADA, comment, created, head, listed, reply, run, tree } from './thread-fixtures';
import { reduce } from './thread-reducer';

const mine = (id: string, extra = {}) => comment(id, { author: { id: 'ada', name: 'Ada' }, ...extra });

describe("the thread reducer: the reader's own writing", () => {
  it('draws a posted comment on top when newest come first, at the end when oldest do', () => {
    const newest = reduce(listed([comment('1')], { me: ADA }), { type: 'posted', comment: mine('2'), live: true });
    expect(tree(newest)).toEqual(['2', '1']);
    const oldest = reduce(listed([comment('1')], { me: ADA, sort: 'oldest' }), {
      type: 'posted',
      comment: mine('2'),
      live: true,
    });
    expect(tree(oldest)).toEqual(['1', '2']);
  });

  it('counts a published post itself only without a stream (whose event counts it), and never a held one', () => {
    const before = listed([comment('1')], { me: ADA });
    expect(reduce(before, { type: 'posted', comment: mine('2'), live: false }).count).toBe(2);
    expect(reduce(before, { type: 'posted', comment: mine('2'), live: true }).count).toBe(1);
    expect(reduce(before, { type: 'posted', comment: mine('2', { status: 'pending' }), live: false }).count).toBe(1);
    // The stream's event for it: counted, and not offered as a new comment.
    const streamed = run(before, { type: 'posted', comment: mine('2'), live: true }, created(mine('2')));
    expect(streamed.count).toBe(2);
    expect(streamed.fresh).toEqual([]);
  });

  it('draws a reply under its comment, once, even when its event came first', () => {
    const before = listed([comment('1', { replyCount: 1, replies: [reply('1a', '1')] })], { me: ADA });
    const after = run(
      before,
      created(mine('1b', { parentId: '1' })),
      { type: 'posted', comment: mine('1b', { parentId: '1' }), live: true },
      { type: 'posted', comment: mine('1b', { parentId: '1' }), live: true },
    );
    expect(tree(after)).toEqual([['1', ['1a', '1b']]]);
  });

  it('redraws an edited comment from the answer, without the replies an answer may carry', () => {
    const before = listed([mine('1', { replyCount: 1, replies: [reply('1a', '1')] })], { me: ADA });
    const answer = mine('1', { body: 'Edited', editedAt: '2026-01-02T00:00:00Z', replies: [] });
    const after = reduce(before, { type: 'updated', comment: answer });
    expect(after.comments.get('1')!.c).toMatchObject({ body: 'Edited', editedAt: answer.editedAt });
    expect(after.comments.get('1')!.c.replies).toBeUndefined();
    expect(tree(after)).toEqual([['1', ['1a']]]);
    expect(reduce(before, { type: 'updated', comment: mine('9') })).toEqual(before);
  });

  it("shows the reader's withheld comment as read again: rejected, and why", () => {
    const before = listed([mine('1')], { me: ADA });
    const after = reduce(before, {
      type: 'updated',
      comment: mine('1', { status: 'rejected', moderationReasons: ['suspect word'] }),
    });
    expect(after.comments.get('1')!.c).toMatchObject({ status: 'rejected', moderationReasons: ['suspect word'] });
  });

  it('takes a deleted comment away and uncounts it without a stream; a tombstone while it has replies', () => {
    const before = listed([mine('1'), mine('2', { replyCount: 1, replies: [reply('2a', '2')] })], { me: ADA });
    const after = run(before, { type: 'removed', id: '1', live: false }, { type: 'removed', id: '2', live: true });
    expect(tree(after)).toEqual([['2', ['2a']]]);
    expect(after.comments.get('2')!.c).toMatchObject({ deleted: true, body: null, author: null });
    expect(after.count).toBe(before.count - 1);
  });

  it('takes a deleted reply from its parent: one reply fewer to show', () => {
    const before = listed([comment('1', { replyCount: 5, replies: [mine('1a', { parentId: '1' })] })], { me: ADA });
    const after = reduce(before, { type: 'removed', id: '1a', live: true });
    expect(tree(after)).toEqual(['1']);
    expect(after.comments.get('1')).toMatchObject({ replies: [], replyCount: 4 });
  });

  it('closes the thread when a post was refused as closed, with the message the service gave', () => {
    const before = listed([comment('1')], { me: ADA });
    const after = reduce(before, {
      type: 'headChanged',
      head: { ...before.head!, closed: true, closedMessage: 'Closed for the night.' },
    });
    expect(after.head).toEqual(head({ closed: true, closedMessage: 'Closed for the night.' }));
  });

  it('signs in and out, and sorts, without touching what is drawn', () => {
    const before = listed([comment('1')]);
    const signedIn = reduce(before, { type: 'signedIn', me: ADA });
    expect(signedIn.me).toEqual(ADA);
    expect(signedIn.comments).toBe(before.comments);
    const sorted = reduce(signedIn, { type: 'sorted', sort: 'oldest' });
    expect(sorted).toMatchObject({ sort: 'oldest', top: before.top, listing: before.listing });
  });
});
