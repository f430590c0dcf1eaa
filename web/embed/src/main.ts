import css from './styles.css?inline';
import { stringsFor, Strings } from './i18n';
import { Api, ApiError, Comment, Head, ThreadPage } from './api';

/**
 * <comment-desk-thread>: a news article's comment thread. Plain DOM in an open shadow root; every
 * piece of text that readers wrote goes in through textContent, never as markup.
 */

type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

// For bench/embed.mjs: from the script's start to the first page drawn.
performance.mark?.('comment-desk:start');
const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src;
const DEFAULT_API = scriptSrc ? new URL(scriptSrc).origin : location.origin;
const PAGE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REPLIES_PAGE = 20;
const STREAM_ERRORS_BEFORE_POLLING = 3;
const STREAM_RETRY_MS = [30_000, 60_000, 120_000, 300_000];
const EVENTS = [
  'comment.created',
  'comment.edited',
  'comment.published',
  'comment.hidden',
  'comment.deleted',
  'article.updated',
];

let sheet: CSSStyleSheet | undefined;
let uid = 0;

interface Entry {
  c: Comment;
  li: HTMLLIElement;
  art: HTMLElement;
  slot: HTMLElement;
  replies: HTMLOListElement;
  more: HTMLButtonElement;
  repliesCursor?: string | null;
}

interface Me {
  id: string;
  name: string;
}

function decodeToken(token: string | null): Me | null {
  try {
    const part = token!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims.sub === 'string' ? { id: claims.sub, name: String(claims.name ?? claims.sub) } : null;
  } catch {
    return null;
  }
}

/** Runs `work` once at a time for a button; aria-disabled meanwhile, as `disabled` would drop the focus. */
async function busy(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  if (button.getAttribute('aria-disabled')) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    await work();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

// Intl formatters are slow to build: one of each per language, not one per comment.
const formats = new Map<string, [Intl.RelativeTimeFormat, Intl.DateTimeFormat]>();
function formatsFor(lang: string): [Intl.RelativeTimeFormat, Intl.DateTimeFormat] {
  let pair = formats.get(lang);
  if (!pair) {
    pair = [
      new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
      new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }),
    ];
    formats.set(lang, pair);
  }
  return pair;
}

function relativeTime(iso: string, lang: string): string {
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  const format = formatsFor(lang)[0];
  for (const [unit, size] of UNITS)
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(0, 'second');
}

class CommentDeskThread extends HTMLElement {
  static observedAttributes = [
    'article-url',
    'article-id',
    'article-title',
    'token',
    'lang',
    'sort',
    'api',
    'poll-seconds',
  ];

  private shadow: ShadowRoot;
  private t!: Strings;
  private locale = 'en';
  private textDirection: 'ltr' | 'rtl' = 'ltr';
  private _token: string | null = null;
  private me: Me | null = null;
  private api!: Api;
  private built = false;
  private generation = 0;

  private articleId: string | null = null;
  private head: Head | null = null;
  private count = 0;
  private sort: 'newest' | 'oldest' = 'newest';
  private nextCursor: string | null = null;
  private firstPageEtag: string | null = null;
  private entries = new Map<string, Entry>();
  private fresh: Comment[] = [];
  private focusComposerOnSignIn = false;
  private composerKey = '';

  private source?: EventSource;
  private streamErrors = 0;
  private streamRetry = 0;
  private pollTimer?: ReturnType<typeof setInterval>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private clockTimer?: ReturnType<typeof setInterval>;

  // The parts of the shadow tree
  private heading!: HTMLHeadingElement;
  private notices!: HTMLElement;
  private composer!: HTMLElement;
  private toolbar!: HTMLElement;
  private sortSelect!: HTMLSelectElement;
  private freshButton!: HTMLButtonElement;
  private list!: HTMLOListElement;
  private moreButton!: HTMLButtonElement;
  private message!: HTMLElement;
  private live!: HTMLElement;
  private draft?: { form: HTMLFormElement; text: HTMLTextAreaElement; error: HTMLElement; submit: HTMLButtonElement };

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    // A constructed sheet: allowed by a strict CSP without 'unsafe-inline', shared by every instance.
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    this.shadow.adoptedStyleSheets = [sheet];
  }

  get token(): string | null {
    return this._token;
  }

  set token(value: string | null) {
    const token = value || null;
    if (token === this._token) return;
    this._token = token;
    this.me = decodeToken(token);
    if (this.built && this.articleId) this.refresh();
  }

  connectedCallback(): void {
    // A page may set .token before embed.js defines the element: that own property would hide
    // the accessor, so take its value through the accessor instead.
    if (Object.prototype.hasOwnProperty.call(this, 'token')) {
      const token = (this as { token: string | null }).token;
      delete (this as { token?: string | null }).token;
      this.token = token;
    }
    if (!this.built) {
      this.built = true;
      void this.load();
    } else if (this.articleId) this.connectLive();
    this.clockTimer = setInterval(() => this.refreshTimes(), 60_000);
  }

  disconnectedCallback(): void {
    this.stopLive();
    clearInterval(this.clockTimer);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === 'token') return void (this.token = value);
    if (name === 'sort') {
      this.sort = value === 'oldest' ? 'oldest' : 'newest';
      if (this.built && this.articleId) this.refresh();
      return;
    }
    if (name === 'poll-seconds' || name === 'article-title') return;
    if (this.built) void this.load();
  }

  private get pollMs(): number {
    return Math.max(2, Number(this.getAttribute('poll-seconds')) || 15) * 1000;
  }

  // ---- loading ------------------------------------------------------------------------------

  /** Builds the tree for the current language, finds the article and reads the first page. */
  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.stopLive();
    ({
      lang: this.locale,
      t: this.t,
      dir: this.textDirection,
    } = stringsFor(this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang')));
    this.api = new Api(this.getAttribute('api') || DEFAULT_API, () => this._token);
    this.sort = this.getAttribute('sort') === 'oldest' ? 'oldest' : 'newest';
    this.articleId = null;
    this.head = null;
    this.build();
    const url = this.getAttribute('article-url');
    const id = UUID.test(this.getAttribute('article-id') ?? '') ? this.getAttribute('article-id') : null;
    try {
      // With the article's id, the article and its first page are read at once; by URL, one
      // after the other.
      const first = id ? this.api.thread(id, this.sort, PAGE).catch(() => null) : undefined;
      const article = id
        ? await this.api.article(id)
        : this.hasAttribute('article-id')
          ? null
          : url
            ? await this.api.findArticle(url, this.getAttribute('article-title'))
            : null;
      if (generation !== this.generation) return;
      if (!article) return this.showMessage(this.t.unavailable);
      this.articleId = article.id;
      this.count = article.counts.visible;
      await this.reloadList((await first) ?? undefined);
      this.connectLive();
    } catch (error) {
      if (generation !== this.generation) return;
      this.showMessage(this.t.loadFailed, true);
    }
  }

  private build(): void {
    const t = this.t;
    const headingId = `cd-h-${++uid}`;
    this.heading = h('h2', { id: headingId, tabindex: -1, part: 'heading', text: t.heading });
    this.notices = h('div');
    this.composer = h('div');
    this.sortSelect = h(
      'select',
      { id: `cd-sort-${uid}`, onchange: () => this.changeSort() },
      h('option', { value: 'newest', text: t.newest }),
      h('option', { value: 'oldest', text: t.oldest }),
    );
    this.toolbar = h(
      'div',
      { class: 'toolbar', hidden: true },
      h('span', null, h('label', { for: `cd-sort-${uid}`, text: t.sort }), this.sortSelect),
    );
    this.freshButton = h('button', {
      type: 'button',
      class: 'fresh primary',
      part: 'button primary',
      hidden: true,
      onclick: () => this.revealFresh(),
    });
    this.list = h('ol', { 'aria-labelledby': headingId });
    this.moreButton = h('button', {
      type: 'button',
      class: 'more',
      hidden: true,
      text: t.showMore,
      onclick: () => this.loadMore(),
    });
    this.message = h('p', { role: 'status', text: t.loading });
    this.live = h('div', { class: 'sr', 'aria-live': 'polite' });
    this.shadow.replaceChildren(
      h(
        'section',
        { 'aria-labelledby': headingId, lang: this.locale, dir: this.textDirection },
        this.heading,
        this.notices,
        this.composer,
        this.toolbar,
        this.freshButton,
        this.message,
        this.list,
        this.moreButton,
        this.live,
      ),
    );
    this.draft = undefined;
    this.composerKey = '';
  }

  private showMessage(text: string, retry = false): void {
    this.message.replaceChildren(text);
    if (retry)
      this.message.append(
        ' ',
        h('button', { type: 'button', class: 'link', text: this.t.retry, onclick: () => this.load() }),
      );
    this.message.hidden = false;
  }

  /** The first page again (sign-in, sort): the reader's own held comments come with it. */
  private async reloadList(prefetched?: Awaited<ReturnType<Api['thread']>>): Promise<void> {
    if (!this.articleId) return;
    const generation = this.generation;
    const page = prefetched ?? (await this.api.thread(this.articleId, this.sort, PAGE));
    if (generation !== this.generation || !page.body) return;
    this.firstPageEtag = page.etag;
    this.entries.clear();
    this.fresh = [];
    this.list.replaceChildren();
    this.sortSelect.value = this.sort;
    this.applyHead(page.body.article, false);
    this.renderComposer();
    this.appendPage(page.body);
    this.message.hidden = true;
    this.toolbar.hidden = false;
    this.renderCount();
    this.renderFresh();
    performance.mark?.('comment-desk:drawn');
    if (this.focusComposerOnSignIn && this.draft) {
      this.focusComposerOnSignIn = false;
      this.draft.text.focus();
    }
  }

  private appendPage(page: ThreadPage): HTMLElement | undefined {
    let first: HTMLElement | undefined;
    for (const c of page.items) {
      if (this.entries.has(c.id)) continue;
      const entry = this.renderComment(c);
      this.list.append(entry.li);
      first ??= entry.art;
    }
    this.nextCursor = page.nextCursor;
    this.moreButton.hidden = !page.nextCursor;
    return first;
  }

  private loadMore(): Promise<void> {
    return busy(this.moreButton, async () => {
      if (!this.articleId || !this.nextCursor) return;
      try {
        const page = await this.api.thread(this.articleId, this.sort, PAGE, this.nextCursor);
        const first = page.body && this.appendPage(page.body);
        (first ?? this.moreButton).focus();
      } catch (error) {
        this.announce(this.errorText(error));
      }
    });
  }

  private changeSort(): void {
    this.sort = this.sortSelect.value === 'oldest' ? 'oldest' : 'newest';
    this.refresh();
  }

  /** reloadList outside load(): a failure is said, and the list stays as it was. */
  private refresh(): void {
    this.reloadList().catch((error) => this.announce(this.errorText(error)));
  }

  // ---- the article's header: count, notices, composer ---------------------------------------

  private renderCount(): void {
    this.heading.textContent = this.t.count(Math.max(0, this.count));
  }

  private applyHead(head: Head, announce: boolean): void {
    const wasClosed = this.head?.closed;
    const changed = JSON.stringify(head) !== JSON.stringify(this.head);
    this.head = head;
    if (!changed) return;
    const notices: Node[] = [];
    if (head.disclaimer.show)
      // The publisher's own words, in their own direction.
      notices.push(h('p', { class: 'notice', part: 'notice disclaimer', dir: 'auto', text: head.disclaimer.text }));
    if (head.closed)
      notices.push(
        h('p', {
          class: 'notice closed',
          part: 'notice closed',
          dir: head.closedMessage ? 'auto' : this.textDirection,
          text: head.closedMessage || this.t.errors.closed,
        }),
      );
    this.notices.replaceChildren(...notices);
    this.renderComposer();
    for (const entry of this.entries.values()) this.renderActions(entry);
    if (announce && wasClosed !== undefined && wasClosed !== head.closed)
      this.announce(head.closed ? this.t.closedNow : this.t.reopenedNow);
  }

  private renderComposer(): void {
    const t = this.t;
    // Only a change of state redraws it: a reader's focus and text stay where they are.
    const key = `${this.head?.closed}|${this.me?.id}`;
    if (key === this.composerKey) return;
    this.composerKey = key;
    const kept = this.draft?.text.value;
    if (this.head?.closed) {
      // A reader in the middle of writing keeps their text (to copy elsewhere); nothing else is offered.
      if (kept && this.draft) {
        this.draft.submit.setAttribute('aria-disabled', 'true');
        this.showError(this.draft, this.head.closedMessage || t.errors.closed);
      } else {
        this.composer.replaceChildren();
        this.draft = undefined;
      }
      return;
    }
    if (!this.me) {
      this.draft = undefined;
      this.composer.replaceChildren(
        h(
          'p',
          { class: 'signin' },
          h('button', {
            type: 'button',
            class: 'primary',
            part: 'button primary',
            text: t.signIn,
            onclick: () => this.requestLogin(),
          }),
        ),
      );
      return;
    }
    const draft = this.textForm(t.yourComment, t.post, kept ?? '', (body, key) => this.postComment(body, null, key));
    this.draft = draft;
    this.composer.replaceChildren(h('p', { class: 'muted', text: t.signedInAs(this.me.name) }), draft.form);
  }

  private requestLogin(): void {
    this.focusComposerOnSignIn = true;
    this.dispatchEvent(new CustomEvent('comment-desk-login', { bubbles: true, composed: true }));
  }

  /** A labelled textarea with its submit button and an error line; the text stays until it is sent. */
  private textForm(
    label: string,
    submitText: string,
    initial: string,
    send: (body: string, idempotencyKey: string) => Promise<void>,
    cancel?: () => void,
  ) {
    const id = `cd-f-${++uid}`;
    const text = h('textarea', {
      id,
      name: 'body',
      'aria-describedby': `${id}-e`,
      // Escape leaves an inline form (reply, edit) as its Cancel button does.
      onkeydown: (event: Event) => {
        if ((event as KeyboardEvent).key === 'Escape' && cancel) cancel();
      },
    });
    text.value = initial;
    const error = h('p', { id: `${id}-e`, class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary', part: 'button primary', text: submitText });
    let sent: { body: string; key: string } | undefined;
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const body = text.value.trim();
          if (!body) return this.showError(parts, this.t.errors.empty);
          // The same text retried keeps its Idempotency-Key: a lost answer never posts twice.
          if (!sent || sent.body !== body) sent = { body, key: randomKey() };
          // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
          if (submit.getAttribute('aria-disabled')) return;
          submit.setAttribute('aria-disabled', 'true');
          try {
            await send(body, sent.key);
            sent = undefined;
          } catch (err) {
            this.showError(parts, this.errorText(err));
          } finally {
            if (!this.head?.closed || cancel || form !== this.draft?.form) submit.removeAttribute('aria-disabled');
          }
        },
      },
      h('label', { for: id, text: label }),
      text,
      error,
      h(
        'div',
        { class: 'row' },
        submit,
        cancel && h('button', { type: 'button', text: this.t.cancel, onclick: cancel }),
      ),
    );
    const parts = { form, text, error, submit };
    return parts;
  }

  private showError(parts: { text: HTMLTextAreaElement; error: HTMLElement }, message: string): void {
    parts.error.textContent = message;
    parts.text.setAttribute('aria-invalid', 'true');
  }

  private errorText(error: unknown): string {
    const e = this.t.errors;
    if (!(error instanceof ApiError)) return e.other;
    switch (error.code) {
      case 'ARTICLE_CLOSED':
        if (this.head && !this.head.closed)
          this.applyHead({ ...this.head, closed: true, closedMessage: error.detail ?? null }, true);
        return error.detail || e.closed;
      case 'USER_BANNED':
        return e.banned;
      case 'RATE_LIMITED':
        return e.rateLimited(error.retryAfter);
      case 'VALIDATION_FAILED':
        return error.fields.includes('body') ? e.tooLong : e.other;
      case 'PAYLOAD_TOO_LARGE':
        return e.tooLong;
      case 'UNAUTHENTICATED':
        return e.signInAgain;
      case 'FORBIDDEN':
        return e.forbidden;
      case 'NOT_FOUND':
        return e.notFound;
      case 'CONFLICT':
        return e.duplicate;
      case 'NETWORK':
        return e.network;
      default:
        return e.other;
    }
  }

  // ---- writing --------------------------------------------------------------------------------

  private async postComment(body: string, parent: Entry | null, idempotencyKey: string): Promise<void> {
    const c = await this.api.post(this.articleId!, body, parent?.c.id ?? null, idempotencyKey);
    const visible = c.status === 'published' || c.status === 'approved';
    if (visible && !this.source) this.count++;
    this.renderCount();
    this.announce(visible ? this.t.posted : this.t.postedHeld);
    if (parent) {
      const entry = this.addReply(parent, c);
      parent.slot.replaceChildren();
      entry.art.focus();
      return;
    }
    this.draft!.text.value = '';
    this.draft!.error.textContent = '';
    this.draft!.text.removeAttribute('aria-invalid');
    if (this.entries.has(c.id)) return;
    const entry = this.renderComment(c);
    if (this.sort === 'newest') this.list.prepend(entry.li);
    else this.list.append(entry.li);
  }

  private addReply(parent: Entry, c: Comment): Entry {
    const existing = this.entries.get(c.id);
    if (existing) return existing;
    const entry = this.renderComment(c);
    parent.replies.append(entry.li);
    return entry;
  }

  // ---- one comment ------------------------------------------------------------------------------

  private isMine(c: Comment): boolean {
    return !!this.me && c.author?.id === this.me.id;
  }

  private renderComment(c: Comment): Entry {
    const li = h('li', { class: 'comment' });
    const entry: Entry = {
      c,
      li,
      art: h('article', { tabindex: -1, part: 'comment' }),
      slot: h('div'),
      replies: h('ol', { class: 'replies' }),
      more: h('button', { type: 'button', class: 'link', onclick: () => this.moreReplies(entry) }),
    };
    this.entries.set(c.id, entry);
    li.append(entry.art, entry.replies, entry.more);
    this.renderBody(entry);
    for (const reply of c.replies ?? []) this.addReply(entry, reply);
    this.renderMoreReplies(entry);
    return entry;
  }

  /**
   * Redraws part of a comment without taking the focus from under the reader: back on the same
   * element if it is still there, else on the button of the same name, else on the comment.
   */
  private keepFocus(entry: Entry, redraw: () => void): void {
    const active = this.shadow.activeElement as HTMLElement | null;
    const inside = active && entry.art.contains(active) ? active : null;
    const label = inside?.textContent;
    redraw();
    if (!inside || this.shadow.activeElement === inside) return;
    if (inside.isConnected && entry.art.contains(inside)) return inside.focus();
    const same = Array.from(entry.art.querySelectorAll('button')).find((b) => b.textContent === label);
    (same ?? entry.art).focus();
  }

  private renderBody(entry: Entry): void {
    this.keepFocus(entry, () => this.drawBody(entry));
  }

  private drawBody(entry: Entry): void {
    const { c } = entry;
    const t = this.t;
    const nameId = `cd-n-${++uid}`;
    // The name in a <bdi>: directional controls in it cannot reorder the words around it.
    const name = c.author ? h('bdi', { text: c.author.name ?? t.anonymous }) : t.deleted;
    const mine = c.author && this.isMine(c) ? ` (${t.you})` : '';
    const meta = h(
      'p',
      { class: 'meta' },
      h('span', { class: 'author', part: 'author', id: nameId }, name, mine),
      h('time', {
        datetime: c.createdAt,
        title: formatsFor(this.locale)[1].format(new Date(c.createdAt)),
        text: relativeTime(c.createdAt, this.locale),
      }),
      c.editedAt && h('span', { class: 'muted', text: `· ${t.edited}` }),
    );
    let status: HTMLElement | null = null;
    if (this.isMine(c) && c.status === 'pending') status = h('p', { class: 'status', text: t.awaiting });
    if (this.isMine(c) && c.status === 'rejected')
      status = h('p', {
        class: 'status bad',
        text: c.moderationReasons.length ? t.rejectedWhy(c.moderationReasons.join(', ')) : t.rejected,
      });
    const body =
      c.deleted || c.body === null
        ? h('p', { class: 'body muted', text: t.deleted })
        : h('p', { class: 'body', part: 'body', dir: 'auto', text: c.body });
    entry.art.setAttribute('aria-labelledby', nameId);
    entry.art.replaceChildren(meta, status ?? '', body, h('div', { class: 'row' }), entry.slot);
    this.drawActions(entry);
  }

  private renderActions(entry: Entry): void {
    this.keepFocus(entry, () => this.drawActions(entry));
  }

  private drawActions(entry: Entry): void {
    const { c } = entry;
    const t = this.t;
    const row = entry.art.querySelector('.row');
    if (!row) return;
    const open = !this.head?.closed;
    const mine = this.isMine(c);
    const actions: Child[] = [];
    if (this.me && !c.deleted) {
      if (open && !c.parentId && (c.status === 'published' || c.status === 'approved'))
        actions.push(
          h('button', { type: 'button', class: 'link', text: t.reply, onclick: () => this.openReply(entry) }),
        );
      const window = this.head?.editWindowSeconds;
      const editable = window === undefined || Date.parse(c.createdAt) + window * 1000 > Date.now();
      if (mine && open && editable)
        actions.push(h('button', { type: 'button', class: 'link', text: t.edit, onclick: () => this.openEdit(entry) }));
      if (mine)
        actions.push(
          h('button', { type: 'button', class: 'link', text: t.del, onclick: () => this.openDelete(entry) }),
        );
      if (!mine)
        actions.push(
          h('button', { type: 'button', class: 'link', text: t.report, onclick: () => this.openReport(entry) }),
        );
    }
    row.replaceChildren(...(actions.filter(Boolean) as Node[]));
  }

  private renderMoreReplies(entry: Entry): void {
    const hidden = entry.c.replyCount - entry.replies.children.length;
    entry.more.hidden = hidden <= 0 || entry.repliesCursor === null;
    entry.more.textContent = this.t.moreReplies(Math.max(hidden, 0));
  }

  private moreReplies(entry: Entry): Promise<void> {
    return busy(entry.more, async () => {
      try {
        const before = entry.replies.children.length;
        const page = await this.api.replies(entry.c.id, REPLIES_PAGE, entry.repliesCursor ?? undefined);
        for (const reply of page.items) this.addReply(entry, reply);
        entry.repliesCursor = page.nextCursor;
        this.renderMoreReplies(entry);
        (entry.replies.children[before]?.querySelector('article') ?? entry.art).focus();
      } catch (error) {
        this.announce(this.errorText(error));
      }
    });
  }

  private openReply(entry: Entry): void {
    const form = this.textForm(
      this.t.yourReply,
      this.t.postReply,
      '',
      (body, key) => this.postComment(body, entry, key),
      () => this.closeSlot(entry),
    );
    entry.slot.replaceChildren(h('div', { class: 'sub' }, form.form));
    form.text.focus();
  }

  private openEdit(entry: Entry): void {
    const form = this.textForm(
      this.t.editComment,
      this.t.save,
      entry.c.body ?? '',
      async (body) => {
        const c = await this.api.edit(entry.c.id, body);
        entry.c = { ...entry.c, ...c, replies: undefined };
        entry.slot.replaceChildren();
        this.renderBody(entry);
        entry.art.focus();
        this.announce(c.status === 'pending' ? this.t.postedHeld : this.t.saved);
      },
      () => this.closeSlot(entry),
    );
    entry.slot.replaceChildren(h('div', { class: 'sub' }, form.form));
    form.text.focus();
  }

  private openDelete(entry: Entry): void {
    const t = this.t;
    const error = h('p', { class: 'error', role: 'alert' });
    const confirm = h('button', {
      type: 'button',
      class: 'danger',
      text: t.del,
      onclick: () =>
        busy(confirm, async () => {
          try {
            await this.api.remove(entry.c.id);
            this.announce(t.commentDeleted);
            if (!this.source) this.count--;
            this.renderCount();
            this.dropComment(entry, true);
          } catch (err) {
            error.textContent = this.errorText(err);
          }
        }),
    });
    entry.slot.replaceChildren(
      h(
        'div',
        { class: 'sub', role: 'group', 'aria-label': t.confirmDelete },
        h('p', { text: t.confirmDelete }),
        h(
          'div',
          { class: 'row' },
          confirm,
          h('button', { type: 'button', text: t.cancel, onclick: () => this.closeSlot(entry) }),
        ),
        error,
      ),
    );
    confirm.focus();
  }

  private openReport(entry: Entry): void {
    const t = this.t;
    const id = `cd-r-${++uid}`;
    const reasons = (Object.keys(t.reasons) as (keyof Strings['reasons'])[]).map((reason, i) =>
      h(
        'label',
        { class: 'radio' },
        h('input', { type: 'radio', name: id, value: reason, checked: i === 0 }),
        t.reasons[reason],
      ),
    );
    const note = h('textarea', { id: `${id}-n`, maxlength: 1000 });
    const error = h('p', { class: 'error', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'primary', part: 'button primary', text: t.sendReport });
    const form = h(
      'form',
      {
        'aria-label': t.reportComment,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const reason = (form.querySelector('input:checked') as HTMLInputElement | null)?.value ?? 'other';
          await busy(send, async () => {
            try {
              await this.api.report(entry.c.id, reason, note.value.trim() || undefined);
              this.reportDone(entry, t.reported);
            } catch (err) {
              if (err instanceof ApiError && err.code === 'CONFLICT') return this.reportDone(entry, t.alreadyReported);
              error.textContent = this.errorText(err);
            }
          });
        },
      },
      h('fieldset', null, h('legend', { text: t.reason }), ...reasons),
      h('label', { for: `${id}-n`, text: t.note }),
      note,
      error,
      h(
        'div',
        { class: 'row' },
        send,
        h('button', { type: 'button', text: t.cancel, onclick: () => this.closeSlot(entry) }),
      ),
    );
    entry.slot.replaceChildren(h('div', { class: 'sub' }, form));
    (reasons[0].querySelector('input') as HTMLInputElement).focus();
  }

  private reportDone(entry: Entry, text: string): void {
    const done = h('p', { class: 'status', tabindex: -1, text });
    entry.slot.replaceChildren(done);
    done.focus();
  }

  private closeSlot(entry: Entry): void {
    entry.slot.replaceChildren();
    entry.art.focus();
  }

  /** Removes a comment, or leaves a tombstone while it has replies; focus moves on if it was inside. */
  private dropComment(entry: Entry, moveFocus: boolean): void {
    if (entry.c.replyCount > 0 || entry.replies.children.length > 0) {
      entry.c = { ...entry.c, deleted: true, body: null, author: null };
      this.renderBody(entry);
      if (moveFocus) entry.art.focus();
      return;
    }
    const next = (entry.li.nextElementSibling ?? entry.li.previousElementSibling)?.querySelector('article');
    entry.li.remove();
    this.entries.delete(entry.c.id);
    const parent = entry.c.parentId ? this.entries.get(entry.c.parentId) : undefined;
    if (parent) {
      parent.c.replyCount = Math.max(0, parent.c.replyCount - 1);
      this.renderMoreReplies(parent);
    }
    if (moveFocus) ((next as HTMLElement | null) ?? parent?.art ?? this.heading).focus();
  }

  private refreshTimes(): void {
    for (const time of this.shadow.querySelectorAll('time'))
      time.textContent = relativeTime(time.dateTime, this.locale);
  }

  private announce(text: string): void {
    // The same words twice in a row would not be read again: vary them invisibly.
    this.live.textContent = this.live.textContent === text ? `${text}\u00a0` : text;
  }

  // ---- live updates --------------------------------------------------------------------------

  /** The thread's event stream; when it is refused or keeps failing, polling with ETag until it can be tried again. */
  private connectLive(): void {
    if (!this.articleId || this.source || !this.isConnected) return;
    clearTimeout(this.retryTimer);
    if (typeof EventSource === 'undefined') return this.startPolling();
    const source = new EventSource(this.api.streamUrl(this.articleId));
    this.source = source;
    source.onopen = () => {
      this.streamErrors = 0;
      this.streamRetry = 0;
      // Whatever happened between the last read (the first page, or the last poll) and this
      // stream: one revalidation, 304 when nothing did.
      this.stopPolling();
      void this.poll();
    };
    source.onerror = () => {
      // CONNECTING: the browser reconnects by itself with Last-Event-ID (the server ended the
      // stream). CLOSED: it was refused (503 at capacity, 404): poll, and try again later.
      if (source.readyState === EventSource.CLOSED || ++this.streamErrors >= STREAM_ERRORS_BEFORE_POLLING) {
        source.close();
        if (this.source === source) this.source = undefined;
        this.streamErrors = 0;
        this.startPolling();
        const delay = STREAM_RETRY_MS[Math.min(this.streamRetry++, STREAM_RETRY_MS.length - 1)];
        this.retryTimer = setTimeout(() => this.connectLive(), delay * (0.75 + Math.random() / 2));
      }
    };
    for (const type of EVENTS)
      source.addEventListener(type, (event) => {
        this.streamErrors = 0;
        try {
          this.onEvent(type, JSON.parse((event as MessageEvent).data));
        } catch {
          // a malformed event is skipped; the next poll or page read puts things right
        }
      });
  }

  private stopLive(): void {
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.retryTimer);
    this.stopPolling();
  }

  private startPolling(): void {
    if (!this.pollTimer) this.pollTimer = setInterval(() => void this.poll(), this.pollMs);
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** The first page, revalidated with its ETag: 304 costs the server a version read. */
  private async poll(): Promise<void> {
    if (!this.articleId || document.hidden) return; // a background tab waits for the next poll
    try {
      const page = await this.api.thread(this.articleId, this.sort, PAGE, undefined, this.firstPageEtag);
      if (!page.body) return;
      this.firstPageEtag = page.etag;
      this.applyHead(page.body.article, true);
      for (const c of page.body.items) {
        const entry = this.entries.get(c.id);
        if (!entry) this.onEvent('comment.created', c);
        else if (c.body !== entry.c.body || c.status !== entry.c.status || c.deleted !== entry.c.deleted) {
          entry.c = { ...c, replies: undefined };
          this.renderBody(entry);
        }
      }
    } catch {
      // the next poll tries again
    }
  }

  private onEvent(type: string, data: any): void {
    if (type === 'article.updated') return this.applyHead(data as Head, true);
    const entry = this.entries.get(data.id);
    switch (type) {
      case 'comment.created':
      case 'comment.published':
        if (type === 'comment.created' || (!entry && !this.isMine(data))) this.count++;
        this.renderCount();
        if (entry) {
          if (entry.c.status === data.status) return; // the reader's own post, drawn already
          entry.c = { ...entry.c, status: data.status };
          return this.renderBody(entry);
        }
        if (this.fresh.some((c) => c.id === data.id)) return;
        // The reader's own posts are drawn from the POST's answer.
        if (this.isMine(data)) return;
        if (data.parentId && !this.entries.has(data.parentId)) return;
        if (!data.parentId && this.sort === 'oldest' && this.nextCursor) return; // comes with "Show more"
        this.fresh.push(data as Comment);
        this.renderFresh();
        this.announce(this.t.newComments(this.fresh.length));
        return;
      case 'comment.edited':
        if (entry) {
          entry.c = { ...entry.c, body: data.body, editedAt: data.editedAt, status: data.status };
          this.renderBody(entry);
        }
        return;
      case 'comment.hidden':
      case 'comment.deleted':
        this.count--;
        this.renderCount();
        this.fresh = this.fresh.filter((c) => c.id !== data.id);
        this.renderFresh();
        if (!entry) return;
        if (type === 'comment.hidden' && this.isMine(entry.c)) return void this.refreshOwn(entry);
        if (entry.li.contains(this.shadow.activeElement)) return; // not under the reader's hands; the next read drops it
        return this.dropComment(entry, false);
    }
  }

  /** The reader's own comment was withheld: read its status (pending, rejected and why). */
  private async refreshOwn(entry: Entry): Promise<void> {
    try {
      const c = await this.api.comment(entry.c.id);
      entry.c = { ...entry.c, ...c, replies: undefined };
      this.renderBody(entry);
    } catch {
      // it stays as it was
    }
  }

  private renderFresh(): void {
    this.freshButton.hidden = this.fresh.length === 0;
    this.freshButton.textContent = this.t.newComments(this.fresh.length);
  }

  /** Draws the comments that arrived while the reader was here, where the reader asked for them. */
  private revealFresh(): void {
    let first: HTMLElement | undefined;
    const top = this.fresh.filter((c) => !c.parentId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const c of top) {
      if (this.entries.has(c.id)) continue;
      const entry = this.renderComment({ ...c, replies: [] });
      if (this.sort === 'newest') this.list.prepend(entry.li);
      else this.list.append(entry.li);
      if (this.sort === 'oldest') first ??= entry.art;
      else first = entry.art;
    }
    for (const c of this.fresh.filter((c) => c.parentId)) {
      const parent = this.entries.get(c.parentId!);
      if (!parent) continue;
      const entry = this.addReply(parent, { ...c, replies: [] });
      parent.c.replyCount = Math.max(parent.c.replyCount, parent.replies.children.length);
      first ??= entry.art;
    }
    this.fresh = [];
    this.renderFresh();
    (first ?? this.heading).focus();
  }
}

if (!customElements.get('comment-desk-thread')) customElements.define('comment-desk-thread', CommentDeskThread);
