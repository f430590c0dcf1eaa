import type { Comment } from './api';
import { ADA, comment, created, head, listed, reply, run, tree } from './thread-fixtures';
import { firstDrawn, news, reduce } from './thread-reducer';
import type { LiveEvent, ThreadAction } from './thread-state';

const event = (e: LiveEvent, focused: string[] = []): ThreadAction => ({ type: 'event', event: e, focused });
const hidden = (c: Comment) => event({ type: 'comment.hidden', data: { id: c.id, parentId: c.parentId } });
const deleted = (c: Comment, focused: string[] = []) => event({ type: 'comment.deleted', data: c }, focused);

describe('the thread reducer: live events', () => {
  it('keeps new comments behind "N new comments", counted, and each once', () => {
    const before = listed([comment('1')]);
    const after = run(before, created(comment('2')), created(comment('3')), created(comment('2')));
    expect(after.fresh.map((c) => c.id)).toEqual(['2', '3']);
    expect(tree(after)).toEqual(['1']);
    expect(after.count).toBe(4); // each created event counts, as the service counted it
    expect(news(before, after)).toEqual(['fresh']);
  });

  it("leaves out the reader's own posts (drawn from the POST's answer) and replies to comments not drawn", () => {
    const before = listed([comment('1')], { me: ADA });
    const after = run(
      before,
      created(comment('2', { author: { id: 'ada', name: 'Ada' } })),
      created(reply('3', 'not-drawn')),
    );
    expect(after.fresh).toEqual([]);
    expect(news(before, after)).toEqual([]);
  });

  it('leaves top-level comments to "Show more" when oldest come first and more pages follow', () => {
    const state = run(listed([comment('1')], { sort: 'oldest', nextCursor: 'c' }), created(comment('2')));
    expect(state.fresh).toEqual([]);
    const last = run(listed([comment('1')], { sort: 'oldest' }), created(comment('2')));
    expect(last.fresh.map((c) => c.id)).toEqual(['2']);
  });

  it('draws fresh comments where the reader asked: newest on top, replies under their comments', () => {
    const before = run(
      listed([comment('1', { replyCount: 0 })]),
      created(comment('2', { createdAt: '2026-01-01T00:00:02Z' })),
      created(reply('r', '1')),
      created(comment('3', { createdAt: '2026-01-01T00:00:03Z' })),
    );
    const after = reduce(before, { type: 'freshShown' });
    expect(tree(after)).toEqual(['3', '2', ['1', ['r']]]);
    expect(after.fresh).toEqual([]);
    expect(after.comments.get('1')!.replyCount).toBe(1);
    expect(firstDrawn(before, after)).toBe('3');
  });

  it('draws them at the end, oldest first, when oldest come first, and focuses the first', () => {
    const before = run(
      listed([comment('1')], { sort: 'oldest' }),
      created(comment('3', { createdAt: '2026-01-01T00:00:03Z' })),
      created(comment('2', { createdAt: '2026-01-01T00:00:02Z' })),
    );
    const after = reduce(before, { type: 'freshShown' });
    expect(tree(after)).toEqual(['1', '2', '3']);
    expect(firstDrawn(before, after)).toBe('2');
  });

  it('counts a comment published by moderation, and redraws a drawn one whose status moved', () => {
    const mine = comment('1', { author: { id: 'ada', name: 'Ada' }, status: 'pending' });
    const before = listed([mine], { me: ADA, count: 0 });
    const published = event({ type: 'comment.published', data: { ...mine, status: 'approved' } });
    const after = reduce(before, published);
    expect(after.comments.get('1')!.c.status).toBe('approved');
    expect(after.count).toBe(0); // the reader's own, counted by the page already
    const again = reduce(after, published);
    expect(again.comments).toBe(after.comments);
    const other = reduce(before, event({ type: 'comment.published', data: comment('2') }));
    expect(other.count).toBe(1);
    expect(other.fresh.map((c) => c.id)).toEqual(['2']);
  });

  it('redraws an edited comment with its new body, time of edit and status', () => {
    const before = listed([comment('1')]);
    const edited = { ...comment('1'), body: 'Better', editedAt: '2026-01-02T00:00:00Z', status: 'pending' as const };
    const after = reduce(before, event({ type: 'comment.edited', data: edited }));
    expect(after.comments.get('1')!.c).toMatchObject({ body: 'Better', editedAt: edited.editedAt, status: 'pending' });
    expect(reduce(before, event({ type: 'comment.edited', data: comment('9') })).comments).toBe(before.comments);
  });

  it('takes away a hidden or deleted comment, and uncounts it', () => {
    const before = listed([comment('1'), comment('2')]);
    const after = run(before, hidden(comment('1')), deleted(comment('2')));
    expect(tree(after)).toEqual([]);
    expect(after.count).toBe(0);
  });

  it('leaves a tombstone where the comment has replies, and takes a reply from its parent', () => {
    const before = listed([comment('1', { replyCount: 2, replies: [reply('1a', '1'), reply('1b', '1')] })]);
    const after = run(before, deleted(comment('1')), deleted(reply('1a', '1')));
    expect(tree(after)).toEqual([['1', ['1b']]]);
    expect(after.comments.get('1')!.c).toMatchObject({ deleted: true, body: null, author: null });
    expect(after.comments.get('1')!.replyCount).toBe(1);
  });

  it('does not take a comment from under the reader: the one holding the focus stays', () => {
    const state = run(listed([comment('1')]), deleted(comment('1'), ['1']));
    expect(tree(state)).toEqual(['1']);
    expect(state.count).toBe(0);
  });

  it("keeps the reader's own hidden comment (its status is read again) and drops a fresh one", () => {
    const mine = comment('1', { author: { id: 'ada', name: 'Ada' } });
    const state = run(listed([mine], { me: ADA }), created(comment('2')), hidden(mine), hidden(comment('2')));
    expect(tree(state)).toEqual(['1']);
    expect(state.fresh).toEqual([]);
  });

  it('follows the article: closing and reopening are news, the same header again is nothing', () => {
    const before = listed([comment('1')]);
    const same = reduce(before, event({ type: 'article.updated', data: head() }));
    expect(same.head).toBe(before.head);
    expect(news(before, same)).toEqual([]);
    const closed = reduce(before, event({ type: 'article.updated', data: head({ closed: true }) }));
    expect(closed.head!.closed).toBe(true);
    expect(news(before, closed)).toEqual(['closed']);
    const reopened = reduce(closed, { type: 'headChanged', head: head() });
    expect(news(closed, reopened)).toEqual(['reopened']);
    const disclaimer = reduce(before, { type: 'headChanged', head: head({ disclaimer: { show: false, text: '' } }) });
    expect(disclaimer.head!.disclaimer.show).toBe(false);
    expect(news(before, disclaimer)).toEqual([]);
  });
});
