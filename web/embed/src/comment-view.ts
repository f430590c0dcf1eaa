import { commentAnchor } from './comment-link';
import { Child, h, nextId } from './dom';
import type { Strings } from './i18n';
import { answered, repliesFlat, repliesNotDrawn } from './thread-nesting';
import { isMine, isVisible, type Shown, type ThreadState } from './thread-state';
import { fullTime, relativeTime } from './time';

/** One comment's elements: its article, the slot for its inline forms, its replies and their "more" button. */
export interface CommentView {
  id: string;
  li: HTMLLIElement;
  art: HTMLElement;
  slot: HTMLElement;
  replies: HTMLOListElement;
  more: HTMLButtonElement;
}

/** What a comment's buttons open. */
export interface CommentActions {
  reply(view: CommentView): void;
  edit(view: CommentView): void;
  del(view: CommentView): void;
  report(view: CommentView): void;
  moreReplies(view: CommentView): void;
  /** Goes to the comment that a reply drawn past the nesting depth answers. */
  toParent(view: CommentView): void;
}

export interface DrawContext {
  t: Strings;
  lang: string;
  state: ThreadState;
  actions: CommentActions;
}

export function commentView(id: string, actions: CommentActions): CommentView {
  const view: CommentView = {
    id,
    li: h('li', { class: 'comment' }),
    art: h('article', { id: commentAnchor(id), tabindex: -1, part: 'comment' }),
    slot: h('div'),
    replies: h('ol', { class: 'replies' }),
    more: h('button', { type: 'button', class: 'link', onclick: () => actions.moreReplies(view) }),
  };
  view.li.append(view.art, view.replies, view.more);
  return view;
}

/**
 * Redraws part of a comment without taking the focus from under the reader: back on the same
 * element if it is still there, else on the button of the same name, else on the comment.
 */
export function keepFocus(root: ShadowRoot, view: CommentView, redraw: () => void): void {
  const active = root.activeElement as HTMLElement | null;
  const inside = active && view.art.contains(active) ? active : null;
  const label = inside?.textContent;
  redraw();
  if (!inside || root.activeElement === inside) return;
  if (inside.isConnected && view.art.contains(inside)) return inside.focus();
  const same = Array.from(view.art.querySelectorAll('button')).find((b) => b.textContent === label);
  (same ?? view.art).focus();
}

export function drawBody(view: CommentView, shown: Shown, ctx: DrawContext): void {
  const { c } = shown;
  const { t, lang, state } = ctx;
  const nameId = nextId('cd-n');
  const mine = isMine(state.me, c);
  // The name in a <bdi>: directional controls in it cannot reorder the words around it.
  const name = c.author ? h('bdi', { text: c.author.name ?? t.anonymous }) : t.deleted;
  const meta = h(
    'p',
    { class: 'meta' },
    h('span', { class: 'author', part: 'author', id: nameId }, name, c.author && mine ? ` (${t.you})` : ''),
    h('time', { datetime: c.createdAt, title: fullTime(c.createdAt, lang), text: relativeTime(c.createdAt, lang) }),
    c.editedAt && h('span', { class: 'muted', text: `· ${t.edited}` }),
  );
  let status: HTMLElement | null = null;
  if (mine && c.status === 'pending') status = h('p', { class: 'status', text: t.awaiting });
  if (mine && c.status === 'rejected') {
    // The moderator's reason when one was picked, else why the rules held it (an older service sends none).
    const why = c.rejectionReason ? [c.rejectionReason] : c.moderationReasons;
    status = h('p', { class: 'status bad', text: why.length ? t.rejectedWhy(why.join(', ')) : t.rejected });
  }
  const body =
    c.deleted || c.body === null
      ? h('p', { class: 'body muted', text: t.deleted })
      : h('p', { class: 'body', part: 'body', dir: 'auto', text: c.body });
  view.art.setAttribute('aria-labelledby', nameId);
  view.art.replaceChildren(
    meta,
    inReplyTo(view, shown, ctx),
    status ?? '',
    body,
    h('div', { class: 'row' }),
    view.slot,
  );
  view.replies.classList.toggle('flat', repliesFlat(shown, state.head));
  drawActions(view, shown, ctx);
}

/** "in reply to NAME" over a reply drawn past the nesting depth, where indentation no longer says it. */
function inReplyTo(view: CommentView, shown: Shown, { t, state, actions }: DrawContext): Node | string {
  const parent = answered(state, shown);
  if (!parent) return '';
  const author = parent.c.author;
  const text = author ? t.inReplyTo(author.name ?? t.anonymous) : t.inReplyToDeleted;
  return h(
    'p',
    { class: 'to' },
    h('button', {
      type: 'button',
      class: 'link muted',
      part: 'in-reply-to',
      text,
      onclick: () => actions.toParent(view),
    }),
  );
}

/** Reply, Edit (within the edit window), Delete or Report, as the reader and the thread allow. */
export function drawActions(view: CommentView, { c }: Shown, { t, state, actions }: DrawContext): void {
  const row = view.art.querySelector('.row');
  if (!row) return;
  const open = !state.head?.closed && !state.me?.ban; // a banned reader may not write
  const mine = isMine(state.me, c);
  const button = (text: string, onclick: (view: CommentView) => void) =>
    h('button', { type: 'button', class: 'link', text, onclick: () => onclick(view) });
  const buttons: Child[] = [];
  if (state.me && !c.deleted) {
    if (open && isVisible(c)) buttons.push(button(t.reply, actions.reply));
    const window = state.head?.editWindowSeconds;
    const editable = window === undefined || Date.parse(c.createdAt) + window * 1000 > Date.now();
    if (mine && open && editable) buttons.push(button(t.edit, actions.edit));
    buttons.push(mine ? button(t.del, actions.del) : button(t.report, actions.report));
  }
  row.replaceChildren(...(buttons as Node[]));
}

/** "Show N replies" under a comment none of whose replies is drawn, "Show N more replies" under the others. */
export function drawMoreReplies(view: CommentView, shown: Shown, { t, state }: DrawContext): void {
  const hidden = repliesNotDrawn(state, shown);
  view.more.hidden = hidden <= 0 || shown.repliesCursor === null;
  view.more.textContent = shown.replies.length ? t.moreReplies(hidden) : t.showReplies(hidden);
}
