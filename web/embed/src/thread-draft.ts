import type { Comment, Head, ThreadPage } from './api';
import { isMine, isVisible, type LiveEvent, type Shown, type ThreadAction, type ThreadState } from './thread-state';

/** The fresh comments in the order they are drawn: top-level ones oldest first, then replies. */
function freshInOrder(fresh: readonly Comment[]): [Comment[], Comment[]] {
  const top = fresh.filter((c) => !c.parentId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return [top, fresh.filter((c) => c.parentId)];
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** For each action, the method of the same name that makes its changes. */
type Reducers = { [A in ThreadAction as A['type']]: (action: A) => void };

/**
 * One action's changes, made on a copy of the state whose parts (the comments, the top-level
 * list) are copied in turn when each first changes: the state it started from stays as it was.
 */
export class Draft implements Reducers {
  readonly s: Writable<ThreadState>;
  private ownComments = false;
  private ownTop = false;

  constructor(base: ThreadState) {
    this.s = { ...base };
  }

  signedIn({ me }: { me: ThreadState['me'] }): void {
    this.s.me = me;
  }

  sorted({ sort }: { sort: ThreadState['sort'] }): void {
    this.s.sort = sort;
  }

  counted({ count }: { count: number }): void {
    this.s.count = count;
  }

  /** The same header again changes nothing (a poll's or an event's): nothing is redrawn for it. */
  headChanged({ head }: { head: Head }): void {
    if (JSON.stringify(head) !== JSON.stringify(this.s.head)) this.s.head = head;
  }

  listed({ page, etag }: { page: ThreadPage; etag: string | null }): void {
    const s = this.s;
    this.headChanged({ head: page.article });
    s.etag = etag;
    s.comments = new Map();
    s.top = [];
    s.fresh = [];
    this.ownComments = this.ownTop = true;
    s.listing++;
    this.moreListed({ page });
  }

  repliesListed({ parentId, page }: { parentId: string; page: { items: Comment[]; nextCursor: string | null } }) {
    if (!this.get(parentId)) return;
    for (const reply of page.items) this.addReply(parentId, reply);
    this.set(parentId, { ...this.get(parentId)!, repliesCursor: page.nextCursor });
  }

  polled({ page, etag }: { page: ThreadPage; etag: string | null }): void {
    this.headChanged({ head: page.article });
    this.s.etag = etag;
    for (const c of page.items) {
      const shown = this.get(c.id);
      if (!shown) this.comment({ type: 'comment.created', data: c }, []);
      else if (c.body !== shown.c.body || c.status !== shown.c.status || c.deleted !== shown.c.deleted)
        this.replace(c.id, c);
    }
  }

  event({ event, focused }: { event: LiveEvent; focused: readonly string[] }): void {
    if (event.type === 'article.updated') this.headChanged({ head: event.data });
    else this.comment(event, focused);
  }

  updated({ comment }: { comment: Comment }): void {
    if (this.get(comment.id)) this.replace(comment.id, comment);
  }

  removed({ id, live }: { id: string; live: boolean }): void {
    if (!live) this.s.count--;
    if (this.get(id)) this.drop(id);
  }

  get(id: string): Shown | undefined {
    return this.s.comments.get(id);
  }

  set(id: string, shown: Shown): void {
    this.comments().set(id, shown);
  }

  private comments(): Map<string, Shown> {
    if (!this.ownComments) ((this.s.comments = new Map(this.s.comments)), (this.ownComments = true));
    return this.s.comments as Map<string, Shown>;
  }

  private top(): string[] {
    if (!this.ownTop) ((this.s.top = [...this.s.top]), (this.ownTop = true));
    return this.s.top as string[];
  }

  moreListed({ page }: { page: ThreadPage }): void {
    for (const c of page.items) {
      if (this.get(c.id)) continue;
      this.add(c);
      this.top().push(c.id);
    }
    this.s.nextCursor = page.nextCursor;
  }

  /** A comment with the replies it came with. */
  private add(c: Comment): void {
    this.set(c.id, { c, replies: [], replyCount: c.replyCount });
    for (const reply of c.replies ?? []) this.addReply(c.id, reply);
  }

  private addTop(c: Comment): void {
    this.add(c);
    if (this.s.sort === 'newest') this.top().unshift(c.id);
    else this.top().push(c.id);
  }

  addReply(parentId: string, c: Comment): void {
    if (this.get(c.id)) return;
    this.add(c);
    const parent = this.get(parentId)!;
    this.set(parentId, { ...parent, replies: [...parent.replies, c.id] });
  }

  replace(id: string, c: Comment): void {
    this.set(id, { ...this.get(id)!, c: { ...c, replies: undefined }, replyCount: c.replyCount });
  }

  posted({ comment: c, live }: { comment: Comment; live: boolean }): void {
    if (isVisible(c) && !live) this.s.count++;
    if (c.parentId) {
      if (this.get(c.parentId)) this.addReply(c.parentId, c);
    } else if (!this.get(c.id)) this.addTop(c);
  }

  /** Removes a comment, or leaves a tombstone in its place while it has replies. */
  drop(id: string): void {
    const shown = this.get(id)!;
    if (shown.replyCount > 0 || shown.replies.length > 0) {
      this.set(id, { ...shown, c: { ...shown.c, deleted: true, body: null, author: null } });
      return;
    }
    this.comments().delete(id);
    const parentId = shown.c.parentId;
    const parent = parentId ? this.get(parentId) : undefined;
    if (parent)
      this.set(parentId!, {
        ...parent,
        replies: parent.replies.filter((r) => r !== id),
        replyCount: Math.max(0, parent.replyCount - 1),
      });
    else if (this.s.top.includes(id)) this.top().splice(this.s.top.indexOf(id), 1);
  }

  private comment(event: Exclude<LiveEvent, { type: 'article.updated' }>, focused: readonly string[]): void {
    const s = this.s;
    const id = event.data.id;
    const shown = this.get(id);
    switch (event.type) {
      case 'comment.created':
      case 'comment.published': {
        const c = event.data;
        if (event.type === 'comment.created' || (!shown && !isMine(s.me, c))) s.count++;
        if (shown) {
          // the reader's own post, drawn already, unless its status moved
          if (shown.c.status !== c.status) this.set(id, { ...shown, c: { ...shown.c, status: c.status } });
          return;
        }
        if (s.fresh.some((f) => f.id === id)) return;
        if (isMine(s.me, c)) return; // the reader's own posts are drawn from the POST's answer
        if (c.parentId && !this.get(c.parentId)) return;
        if (!c.parentId && s.sort === 'oldest' && s.nextCursor) return; // comes with "Show more"
        s.fresh = [...s.fresh, c];
        return;
      }
      case 'comment.edited':
        if (shown) {
          const { body, editedAt, status } = event.data;
          this.set(id, { ...shown, c: { ...shown.c, body, editedAt, status } });
        }
        return;
      case 'comment.hidden':
      case 'comment.deleted':
        s.count--;
        if (s.fresh.some((f) => f.id === id)) s.fresh = s.fresh.filter((f) => f.id !== id);
        // The reader's own withheld comment stays: the shell reads its status (pending, rejected and why).
        if (!shown || (event.type === 'comment.hidden' && isMine(s.me, shown.c))) return;
        // Not from under the reader's hands: the next read drops it.
        if (!focused.includes(id)) this.drop(id);
        return;
    }
  }

  freshShown(): void {
    const [top, replies] = freshInOrder(this.s.fresh);
    for (const c of top) if (!this.get(c.id)) this.addTop({ ...c, replies: [] });
    for (const c of replies) {
      const parentId = c.parentId!;
      if (!this.get(parentId)) continue;
      this.addReply(parentId, { ...c, replies: [] });
      const parent = this.get(parentId)!;
      this.set(parentId, { ...parent, replyCount: Math.max(parent.replyCount, parent.replies.length) });
    }
    this.s.fresh = [];
  }
}
