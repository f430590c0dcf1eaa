import type { Comment, Head, ThreadPage } from './api';
import { isMine, isVisible, type LiveEvent, type Shown, type ThreadAction, type ThreadState } from './thread-state';

/** The fresh comments in the order they are drawn: top-level ones oldest first, then replies. */
function freshInOrder(fresh: readonly Comment[]): [Comment[], Comment[]] {
  const top = fresh.filter((c) => !c.parentId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return [top, fresh.filter((c) => c.parentId)];
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The replies of every comment without any drawn: one array for them all, never changed. */
const NO_REPLIES: readonly string[] = [];

type Of<T extends ThreadAction['type']> = Extract<ThreadAction, { type: T }>;
/** For each action, the method of the same name that makes its changes. */
type Reducers = { [T in ThreadAction['type']]: (action: Of<T>) => void };

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

  signedIn({ me, trouble }: Of<'signedIn'>): void {
    this.s.me = trouble ? null : me;
    this.s.signInTrouble = trouble ?? null;
  }

  signInRefused({ trouble }: Of<'signInRefused'>): void {
    this.s.me = null;
    this.s.signInTrouble = trouble;
  }

  sorted({ sort }: Of<'sorted'>): void {
    this.s.sort = sort;
  }

  counted({ count }: Of<'counted'>): void {
    this.s.count = count;
  }

  /** The same header again changes nothing (a poll's or an event's): nothing is redrawn for it. */
  headChanged({ head }: { head: Head }): void {
    if (JSON.stringify(head) !== JSON.stringify(this.s.head)) this.s.head = head;
  }

  listed({ page, etag }: Of<'listed'>): void {
    const s = this.s;
    this.headChanged({ head: page.article });
    s.etag = etag;
    s.comments = new Map();
    s.top = [];
    s.fresh = [];
    this.ownComments = this.ownTop = true;
    s.listing++;
    s.linked = null;
    this.moreListed({ page });
  }

  moreListed({ page }: { page: ThreadPage }): void {
    for (const c of page.items) {
      if (this.get(c.id)) continue;
      this.add(c, 0);
      this.top().push(c.id);
    }
    this.s.nextCursor = page.nextCursor;
  }

  repliesListed({ parentId, page }: Of<'repliesListed'>): void {
    if (!this.get(parentId)) return;
    for (const reply of page.items) this.addReply(parentId, reply);
    this.set(parentId, { ...this.get(parentId)!, repliesCursor: page.nextCursor });
  }

  polled({ page, etag }: Of<'polled'>): void {
    this.headChanged({ head: page.article });
    this.s.etag = etag;
    if (this.s.linked?.alone) return; // the first page is not drawn
    for (const c of page.items) {
      const shown = this.get(c.id);
      if (!shown) this.comment({ type: 'comment.created', data: c }, []);
      else if (c.body !== shown.c.body || c.status !== shown.c.status || c.deleted !== shown.c.deleted)
        this.replace(c.id, c);
    }
  }

  event({ event, focused }: Of<'event'>): void {
    if (event.type === 'article.updated') this.headChanged({ head: event.data });
    else this.comment(event, focused);
  }

  updated({ comment }: Of<'updated'>): void {
    if (this.get(comment.id)) this.replace(comment.id, comment);
  }

  removed({ id, live }: Of<'removed'>): void {
    if (!live) this.s.count--;
    if (this.get(id)) this.drop(id);
  }

  posted({ comment: c, live }: Of<'posted'>): void {
    if (isVisible(c) && !live) this.s.count++;
    if (this.get(c.id)) return;
    if (c.parentId) {
      if (!this.get(c.parentId)) return;
      this.addReply(c.parentId, c);
      if (isVisible(c)) this.countReplies(c.parentId, 1);
    } else this.addTop(c);
  }

  freshShown(): void {
    const [top, replies] = freshInOrder(this.s.fresh);
    for (const c of top) if (!this.get(c.id)) this.addTop({ ...c, replies: [] });
    // In the order they came: a reply to a fresh reply comes after it, so finds it drawn.
    for (const c of replies) {
      const parentId = c.parentId!;
      if (!this.get(parentId)) continue;
      this.addReply(parentId, { ...c, replies: [] });
      const parent = this.get(parentId)!;
      this.set(parentId, { ...parent, replyCount: Math.max(parent.replyCount, parent.replies.length) });
    }
    this.s.fresh = [];
  }

  /** The linked comment under the comments it answers, each drawn with only the next as its reply. */
  contextListed({ context, replies }: Of<'contextListed'>): void {
    const s = this.s;
    this.headChanged({ head: context.article });
    s.etag = null;
    s.comments = new Map();
    s.top = [];
    s.fresh = [];
    s.nextCursor = null;
    this.ownComments = this.ownTop = true;
    s.listing++;
    const [root, ...chain] = [...context.ancestors, context.comment];
    this.add({ ...root, replies: [] }, 0);
    this.top().push(root.id);
    let parentId = root.id;
    for (const c of chain) {
      this.addReply(parentId, { ...c, replies: [] });
      parentId = c.id;
    }
    const id = context.comment.id;
    if (replies) this.repliesListed({ type: 'repliesListed', parentId: id, page: replies });
    s.linked = { id, found: true, alone: true };
  }

  linkMarked({ id, found }: Of<'linkMarked'>): void {
    this.s.linked = { id, found, alone: !!this.s.linked?.alone };
  }

  private get(id: string): Shown | undefined {
    return this.s.comments.get(id);
  }

  private set(id: string, shown: Shown): void {
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

  /** A comment with the replies it came with, `depth` levels under the top. */
  private add(c: Comment, depth: number): void {
    this.set(c.id, { c, replies: NO_REPLIES, depth, replyCount: c.replyCount });
    for (const reply of c.replies ?? []) this.addReply(c.id, reply);
  }

  /** Moves the count of a drawn comment's replies by `delta` (one posted, published or taken away). */
  private countReplies(id: string, delta: number): void {
    const shown = this.get(id);
    if (shown) this.set(id, { ...shown, replyCount: Math.max(0, shown.replyCount + delta) });
  }

  private addTop(c: Comment): void {
    this.add(c, 0);
    if (this.s.sort === 'newest') this.top().unshift(c.id);
    else this.top().push(c.id);
  }

  private addReply(parentId: string, c: Comment): void {
    if (this.get(c.id)) return;
    this.add(c, this.get(parentId)!.depth + 1);
    const parent = this.get(parentId)!;
    this.set(parentId, { ...parent, replies: [...parent.replies, c.id] });
  }

  private replace(id: string, c: Comment): void {
    this.set(id, { ...this.get(id)!, c: { ...c, replies: undefined }, replyCount: c.replyCount });
  }

  /** Removes a comment, or leaves a tombstone in its place while it has replies. */
  private drop(id: string): void {
    const shown = this.get(id)!;
    if (shown.replyCount > 0 || shown.replies.length > 0) {
      this.set(id, { ...shown, c: { ...shown.c, deleted: true, body: null, author: null } });
      return;
    }
    this.comments().delete(id);
    const parentId = shown.c.parentId;
    const parent = parentId ? this.get(parentId) : undefined;
    if (parent) {
      const left = {
        ...parent,
        replies: parent.replies.filter((r) => r !== id),
        replyCount: Math.max(0, parent.replyCount - 1),
      };
      this.set(parentId!, left);
      // A tombstone is listed only while it has replies: with its last one gone, it goes too.
      if (left.c.deleted && left.replyCount === 0 && left.replies.length === 0) this.drop(parentId!);
    } else if (this.s.top.includes(id)) this.top().splice(this.s.top.indexOf(id), 1);
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
          if (shown.c.status !== c.status) {
            this.set(id, { ...shown, c: { ...shown.c, status: c.status } });
            if (!isVisible(shown.c) && isVisible(c) && c.parentId) this.countReplies(c.parentId, 1);
          }
          return;
        }
        if (s.fresh.some((f) => f.id === id)) return;
        if (isMine(s.me, c)) return; // the reader's own posts are drawn from the POST's answer
        // A reply at any depth: under its parent once drawn (or waiting among the fresh ones);
        // a parent whose replies are not all read counts one more to show.
        if (c.parentId && !this.get(c.parentId) && !s.fresh.some((f) => f.id === c.parentId)) return;
        if (!c.parentId && s.sort === 'oldest' && s.nextCursor) return; // comes with "Show more"
        if (!c.parentId && s.linked?.alone) return; // comes with the whole thread
        if (c.parentId) this.countReplies(c.parentId, 1);
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
        // A reply not drawn under a drawn parent: one fewer to show, unless it stays as a tombstone.
        if (!shown && event.data.parentId && !(event.type === 'comment.deleted' && event.data.replyCount > 0))
          this.countReplies(event.data.parentId, -1);
        // The reader's own withheld comment stays (the element reads its status: pending, or
        // rejected and why), and so does one the reader's focus is in (the next read drops it).
        if (!shown || (event.type === 'comment.hidden' && isMine(s.me, shown.c))) return;
        if (!focused.includes(id)) this.drop(id);
        return;
    }
  }
}
