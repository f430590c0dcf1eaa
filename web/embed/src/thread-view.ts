import { openDelete, openEdit, openReply, openReport, type CommentCalls } from './comment-forms';
import {
  commentView,
  drawActions,
  drawBody,
  drawMoreReplies,
  keepFocus,
  type CommentActions,
  type CommentView,
  type DrawContext,
} from './comment-view';
import { Composer, type ComposerCalls } from './composer';
import { busy, h, nextId } from './dom';
import type { Strings } from './i18n';
import { repliesFlat, replyDepthOf } from './thread-nesting';
import { LinkedView } from './linked-view';
import type { Shown, Sort, ThreadState } from './thread-state';
import { relativeTime } from './time';

/** What the thread's own controls ask of the element. */
export interface ThreadCalls extends CommentCalls, Pick<ComposerCalls, 'api'> {
  signIn(): void;
  retry(): void;
  sort(sort: Sort): void;
  showMore(): Promise<void>;
  showFresh(): void;
  moreReplies(id: string): Promise<void>;
  /** From a comment drawn alone (a link to it) back to the whole thread. */
  showAll(): Promise<void>;
}

/**
 * The thread's elements in the shadow root, drawn from the state: each draw changes only what
 * differs from the state drawn before, so that the reader's focus and typing stay where they are.
 */
export class ThreadView {
  readonly heading: HTMLHeadingElement;
  readonly moreButton: HTMLButtonElement;
  private readonly notices = h('div');
  private readonly toolbar: HTMLElement;
  private readonly sortSelect: HTMLSelectElement;
  private readonly freshButton: HTMLButtonElement;
  private readonly list: HTMLOListElement;
  private readonly message: HTMLElement;
  private readonly section: HTMLElement;
  private readonly live = h('div', { class: 'sr', 'aria-live': 'polite' });
  private readonly entries = new Map<string, CommentView>();
  private readonly ctx: DrawContext;
  private readonly linked: LinkedView;
  readonly composer: Composer;

  constructor(
    private readonly root: ShadowRoot,
    private readonly t: Strings,
    lang: string,
    private readonly dir: 'ltr' | 'rtl',
    private readonly calls: ThreadCalls,
    private drawn: ThreadState,
  ) {
    this.composer = new Composer(t, calls, lang);
    const headingId = nextId('cd-h');
    const sortId = nextId('cd-sort');
    this.heading = h('h2', { id: headingId, tabindex: -1, part: 'heading', text: t.heading });
    this.sortSelect = h(
      'select',
      { id: sortId, onchange: () => calls.sort(this.sortSelect.value === 'oldest' ? 'oldest' : 'newest') },
      h('option', { value: 'newest', text: t.newest }),
      h('option', { value: 'oldest', text: t.oldest }),
    );
    this.toolbar = h(
      'div',
      { class: 'toolbar', hidden: true },
      h('span', null, h('label', { for: sortId, text: t.sort }), this.sortSelect),
    );
    this.freshButton = h('button', {
      type: 'button',
      class: 'fresh primary',
      part: 'button primary',
      hidden: true,
      onclick: () => calls.showFresh(),
    });
    this.list = h('ol', { 'aria-labelledby': headingId });
    this.moreButton = h('button', {
      type: 'button',
      class: 'more',
      hidden: true,
      text: t.showMore,
      onclick: () => busy(this.moreButton, calls.showMore),
    });
    this.message = h('p', { role: 'status', text: t.loading });
    this.linked = new LinkedView(t, calls.showAll);
    const actions: CommentActions = {
      reply: (view) => openReply(t, view, calls),
      edit: (view) => openEdit(t, view, this.drawn.comments.get(view.id)?.c.body ?? '', calls),
      del: (view) => openDelete(t, view, calls),
      report: (view) => openReport(t, view, calls),
      moreReplies: (view) => busy(view.more, () => calls.moreReplies(view.id)),
      toParent: (view) => {
        const parentId = this.drawn.comments.get(view.id)?.c.parentId;
        if (parentId) calls.focus(parentId);
      },
    };
    this.ctx = { t, lang, state: drawn, actions };
    this.section = h(
      'section',
      { 'aria-labelledby': headingId, lang, dir },
      this.heading,
      this.notices,
      this.composer.el,
      this.toolbar,
      this.freshButton,
      this.message,
      this.linked.bar,
      this.list,
      this.moreButton,
      this.linked.after,
      this.live,
    );
    root.replaceChildren(this.section);
  }

  /** Brings the elements to `next`. */
  draw(next: ThreadState): void {
    const prev = this.drawn;
    this.drawn = this.ctx.state = next;
    if (!next.head) return; // nothing read yet
    const relisted = next.listing !== prev.listing;
    if (relisted) {
      this.entries.clear();
      this.list.replaceChildren();
      this.sortSelect.value = next.sort;
    }
    if (next.head !== prev.head) {
      this.drawNotices();
      this.composer.draw(next);
      // A new nesting depth moves where replies are drawn and which of them say whom they answer.
      const renested = relisted || replyDepthOf(next.head) !== replyDepthOf(prev.head);
      if (renested) this.section.style.setProperty('--_depth', String(replyDepthOf(next.head)));
      for (const [id, view] of this.entries) {
        const shown = next.comments.get(id);
        if (shown) keepFocus(this.root, view, () => (renested ? drawBody : drawActions)(view, shown, this.ctx));
      }
    }
    if (relisted || next.me !== prev.me) this.composer.draw(next);
    if (relisted || next.comments !== prev.comments) this.drawComments(relisted ? undefined : prev);
    if (relisted || next.top !== prev.top) this.order(this.list, next.top);
    if (relisted || next.nextCursor !== prev.nextCursor) this.moreButton.hidden = !next.nextCursor;
    if (relisted || next.count !== prev.count) this.heading.textContent = this.t.count(Math.max(0, next.count));
    if (relisted || next.fresh !== prev.fresh) {
      this.freshButton.hidden = next.fresh.length === 0;
      this.freshButton.textContent = this.t.newComments(next.fresh.length);
    }
    if (relisted) this.message.hidden = true;
    if (relisted || next.linked !== prev.linked) {
      this.linked.draw(next.linked, next.linked ? this.entries.get(next.linked.id) : undefined);
      // Sorting is for the whole thread.
      this.toolbar.hidden = !!next.linked?.alone;
    }
  }

  /** Brings the linked comment into view and gives it the focus; or the message that it cannot be shown. */
  reveal(id: string): void {
    const target = this.drawn.linked?.found ? this.article(id) : this.linked.bar;
    target?.scrollIntoView({ block: 'center' });
    target?.focus({ preventScroll: true });
  }

  private drawComments(prev: ThreadState | undefined): void {
    const next = this.drawn;
    const reordered: [CommentView, Shown][] = [];
    for (const [id, shown] of next.comments) {
      const before = prev?.comments.get(id);
      if (shown === before) continue;
      let view = this.entries.get(id);
      if (!view || !before) {
        view = commentView(id, this.ctx.actions);
        this.entries.set(id, view);
        drawBody(view, shown, this.ctx);
        drawMoreReplies(view, shown, this.ctx);
      } else {
        const redrawn = view;
        if (shown.c !== before.c) keepFocus(this.root, view, () => drawBody(redrawn, shown, this.ctx));
        // Its flat replies name it: a comment deleted meanwhile is named so.
        if (shown.c.author?.name !== before.c.author?.name && repliesFlat(shown, next.head))
          for (const replyId of shown.replies) {
            const reply = this.entries.get(replyId);
            const replyShown = next.comments.get(replyId);
            if (reply && replyShown) keepFocus(this.root, reply, () => drawBody(reply, replyShown, this.ctx));
          }
        if (
          shown.replyCount !== before.replyCount ||
          shown.repliesCursor !== before.repliesCursor ||
          shown.replies !== before.replies
        )
          drawMoreReplies(view, shown, this.ctx);
      }
      if (shown.replies !== before?.replies) reordered.push([view, shown]);
    }
    if (prev) for (const id of prev.comments.keys()) if (!next.comments.has(id)) this.remove(id);
    for (const [view, shown] of reordered) this.order(view.replies, shown.replies);
  }

  /** Puts the comments `ids` in `list` in that order, moving only those that are not in place. */
  private order(list: HTMLOListElement, ids: readonly string[]): void {
    let node = list.firstElementChild;
    for (const id of ids) {
      const li = this.entries.get(id)!.li;
      if (li === node) node = node.nextElementSibling;
      else list.insertBefore(li, node);
    }
    while (node) {
      const after = node.nextElementSibling;
      node.remove();
      node = after;
    }
  }

  /** A comment taken away: the focus, if it was in it, moves to the next, the previous, its parent or the heading. */
  private remove(id: string): void {
    const view = this.entries.get(id);
    if (!view) return;
    this.entries.delete(id);
    const li = view.li;
    const held = li.contains(this.root.activeElement);
    const near = (li.nextElementSibling ?? li.previousElementSibling)?.querySelector('article');
    const parent = li.parentElement?.closest('li')?.querySelector('article');
    li.remove();
    if (held) ((near as HTMLElement | null) ?? parent ?? this.heading).focus();
  }

  private drawNotices(): void {
    const head = this.drawn.head!;
    const notices: Node[] = [];
    if (head.disclaimer.show)
      // The publisher's own words, in their own direction.
      notices.push(h('p', { class: 'notice', part: 'notice disclaimer', dir: 'auto', text: head.disclaimer.text }));
    if (head.closed)
      notices.push(
        h('p', {
          class: 'notice closed',
          part: 'notice closed',
          dir: head.closedMessage ? 'auto' : this.dir,
          text: head.closedMessage || this.t.errors.closed,
        }),
      );
    this.notices.replaceChildren(...notices);
  }

  /** The comment's article, if it is drawn. */
  article(id: string | undefined): HTMLElement | undefined {
    return id === undefined ? undefined : this.entries.get(id)?.art;
  }

  /** The comments the reader's focus is in (a reply's parent holds it too). */
  focused(): string[] {
    const active = this.root.activeElement;
    if (!active || !this.list.contains(active)) return [];
    return [...this.entries.values()].filter((view) => view.li.contains(active)).map((view) => view.id);
  }

  showMessage(text: string, retry = false): void {
    this.message.replaceChildren(text);
    if (retry)
      this.message.append(
        ' ',
        h('button', { type: 'button', class: 'link', text: this.t.retry, onclick: () => this.calls.retry() }),
      );
    this.message.hidden = false;
  }

  announce(text: string): void {
    // The same words twice in a row would not be read again: vary them invisibly.
    this.live.textContent = this.live.textContent === text ? `${text}\u00a0` : text;
  }

  refreshTimes(lang: string): void {
    for (const time of this.root.querySelectorAll('time')) time.textContent = relativeTime(time.dateTime, lang);
  }
}
