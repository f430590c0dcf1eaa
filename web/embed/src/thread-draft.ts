import type { Comment, ThreadPage } from './api';
import { isMine, isVisible, type LiveEvent, type Shown, type ThreadState } from './thread-state';

/** The fresh comments in the order they are drawn: top-level ones oldest first, then replies. */
function freshInOrder(fresh: readonly Comment[]): [Comment[], Comment[]] {
  const top = fresh.filter((c) => !c.parentId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return [top, fresh.filter((c) => c.parentId)];
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** One action's changes, made on copies of the state's parts taken when each first changes. */
export class Draft {
  readonly s: Writable<ThreadState>;
  private ownComments = false;
  private ownTop = false;

  constructor(base: ThreadState) {
    this.s = { ...base };
  }

  done(): ThreadState {
    return this.s;
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

  appendPage(page: ThreadPage): this {
    for (const c of page.items) {
      if (this.get(c.id)) continue;
      this.add(c);
      this.top().push(c.id);
    }
    this.s.nextCursor = page.nextCursor;
    return this;
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

  posted(c: Comment, live: boolean): this {
    if (isVisible(c) && !live) this.s.count++;
    if (c.parentId) {
      if (this.get(c.parentId)) this.addReply(c.parentId, c);
    } else if (!this.get(c.id)) this.addTop(c);
    return this;
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

  event(event: Exclude<LiveEvent, { type: 'article.updated' }>, focused: readonly string[]): this {
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
          return this;
        }
        if (s.fresh.some((f) => f.id === id)) return this;
        if (isMine(s.me, c)) return this; // the reader's own posts are drawn from the POST's answer
        if (c.parentId && !this.get(c.parentId)) return this;
        if (!c.parentId && s.sort === 'oldest' && s.nextCursor) return this; // comes with "Show more"
        s.fresh = [...s.fresh, c];
        return this;
      }
      case 'comment.edited':
        if (shown) {
          const { body, editedAt, status } = event.data;
          this.set(id, { ...shown, c: { ...shown.c, body, editedAt, status } });
        }
        return this;
      case 'comment.hidden':
      case 'comment.deleted':
        s.count--;
        if (s.fresh.some((f) => f.id === id)) s.fresh = s.fresh.filter((f) => f.id !== id);
        // The reader's own withheld comment stays: the shell reads its status (pending, rejected and why).
        if (!shown || (event.type === 'comment.hidden' && isMine(s.me, shown.c))) return this;
        // Not from under the reader's hands: the next read drops it.
        if (!focused.includes(id)) this.drop(id);
        return this;
    }
  }

  showFresh(): this {
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
    return this;
  }
}
