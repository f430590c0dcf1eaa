import css from './styles.css?inline';
import { Api, ApiError } from './api';
import { linkedCommentId } from './comment-link';
import { errorMessage } from './errors';
import { stringsFor, type Strings } from './i18n';
import { articleIdOf, articleUrlOf, pollMsOf, siteOf, sortOf, THREAD_ATTRIBUTES } from './thread-attributes';
import { LiveConnection } from './live-connection';
import { SessionSignIn } from './session-sign-in';
import { upgradeProperty } from './dom';
import { readerOf, refusalOf, tokenTrouble } from './reader';
import { sameBan, withBan } from './reader-ban';
import { firstDrawn, newsText, reduce } from './thread-reducer';
import { initialThread, isMine, isVisible } from './thread-state';
import type { LiveEvent, ThreadAction, ThreadState } from './thread-state';
import { ThreadView, type ThreadCalls } from './thread-view';

const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src;
const DEFAULT_API = scriptSrc ? new URL(scriptSrc).origin : location.origin;
const PAGE = 20;
const REPLIES_PAGE = 20;

let sheet: CSSStyleSheet | undefined;

type FirstPage = Awaited<ReturnType<Api['thread']>>;

/**
 * <comment-desk-thread>: a news article's comment thread. Its attributes and lifecycle, the calls
 * to the API, and the wiring: what comes back is reduced into the thread's state (thread-reducer.ts),
 * which the view draws (thread-view.ts); live changes come through live-connection.ts.
 */
export class CommentDeskThread extends HTMLElement {
  static observedAttributes = THREAD_ATTRIBUTES;

  private shadow: ShadowRoot;
  private t!: Strings;
  private locale = 'en';
  private _token: string | null = null;
  private api!: Api;
  private built = false;
  private generation = 0;
  private articleId: string | null = null;
  private state: ThreadState = initialThread('newest', null);
  private view?: ThreadView;
  private live?: LiveConnection;
  private focusComposerOnSignIn = false;
  private clockTimer?: ReturnType<typeof setInterval>;
  private session?: SessionSignIn | null;

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
    this.dispatch({ type: 'signedIn', me: readerOf(token, this.site()), trouble: tokenTrouble(token, Date.now()) });
    if (this.built && this.articleId) this.refresh();
  }

  private site = () => siteOf(this.getAttribute('site'));

  /** The service's own session (sign-in="provider" or "email"), or null: the page's login signs readers in. */
  private sessionSignIn(): SessionSignIn | null {
    this.session ??= SessionSignIn.of(
      this.getAttribute('sign-in'),
      this.site(),
      this.apiBase(),
      (t) => (this.token = t),
    );
    return this.session;
  }

  private apiBase = () => this.getAttribute('api') || DEFAULT_API;

  connectedCallback(): void {
    // A page may set .token before embed.js defines the element: that own property would hide the accessor.
    upgradeProperty(this, 'token');
    if (!this._token) void this.sessionSignIn()?.resume();
    if (!this.built) {
      this.built = true;
      void this.load();
    } else this.live?.connect();
    this.clockTimer = setInterval(() => this.view?.refreshTimes(this.locale), 60_000);
    addEventListener('hashchange', this.followLink);
  }

  disconnectedCallback(): void {
    this.live?.stop();
    clearInterval(this.clockTimer);
    this.session?.stop();
    removeEventListener('hashchange', this.followLink);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === 'token') return void (this.token = value);
    if (name === 'sort') {
      this.dispatch({ type: 'sorted', sort: sortOf(value) });
      if (this.built && this.articleId) this.refresh();
      return;
    }
    if (name === 'poll-seconds' || name === 'article-title') return;
    if (this.built) void this.load();
  }

  /** Reduces `action` into the state and draws it; returns the state before. */
  private dispatch(action: ThreadAction): ThreadState {
    const before = this.state;
    this.state = reduce(before, action);
    this.view?.draw(this.state);
    return before;
  }

  /** What changed by itself (a poll, an event) is said to screen readers. */
  private tell(before: ThreadState): void {
    for (const text of newsText(before, this.state, this.t)) this.view!.announce(text);
  }

  // ---- loading ------------------------------------------------------------------------------

  /** Builds the tree for the current language, finds the article and reads the first page. */
  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.live?.stop();
    this.live = undefined;
    const { lang, t, dir } = stringsFor(this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang'));
    this.locale = lang;
    this.t = t;
    // A token known to be refused is not sent again: the thread is read as by anyone.
    this.api = new Api(this.apiBase(), () => (this.state.signInTrouble ? null : this._token), this.site());
    this.articleId = null;
    // The reader's id depends on the site (another site's reader is site:sub): read again with it.
    const known = this.state.me;
    const reader = known && readerOf(this._token, this.site());
    const me = reader && reader.id !== known!.id ? reader : known;
    this.state = initialThread(sortOf(this.getAttribute('sort')), me, this.state.signInTrouble);
    this.view = new ThreadView(this.shadow, t, lang, dir, this.calls, this.state);
    const url = articleUrlOf(this.getAttribute('article-url'));
    const id = articleIdOf(this.getAttribute('article-id'));
    try {
      // With the article's id, the article and its first page are read at once; by URL, one
      // after the other.
      const first = id ? this.api.thread(id, this.state.sort, PAGE).catch(() => null) : undefined;
      const article = id
        ? await this.api.article(id)
        : this.hasAttribute('article-id')
          ? null
          : url
            ? await this.api.findArticle(url, this.getAttribute('article-title'))
            : null;
      if (generation !== this.generation) return;
      if (!article) return this.view.showMessage(t.unavailable);
      this.articleId = article.id;
      this.dispatch({ type: 'counted', count: article.counts.visible });
      const linked = linkedCommentId(location.hash);
      if (linked) await this.openLinked(linked, true, first);
      else await this.reloadList((await first) ?? undefined);
      this.live = new LiveConnection({
        url: this.api.streamUrl(article.id),
        pollMs: () => pollMsOf(this.getAttribute('poll-seconds')),
        attached: () => this.isConnected,
        onEvent: (event) => this.onEvent(event),
        poll: () => void this.poll(),
      });
      this.live.connect();
    } catch (error) {
      if (generation !== this.generation) return;
      if (this.refused(error)) return void this.load();
      // Not a failure that trying again would mend: the site does not let this page show its threads.
      if (error instanceof ApiError && error.code === 'ORIGIN_NOT_ALLOWED')
        return this.view.showMessage(t.errors.originRefused);
      this.view.showMessage(t.loadFailed, true);
    }
  }

  /** The first page again (sign-in, sort): the reader's own held comments come with it. */
  private async reloadList(prefetched?: FirstPage): Promise<void> {
    if (!this.articleId) return;
    const generation = this.generation;
    const [page] = await Promise.all([
      prefetched ?? this.api.thread(this.articleId, this.state.sort, PAGE),
      this.readBan(),
    ]);
    if (generation !== this.generation || !page.body) return;
    this.dispatch({ type: 'listed', page: page.body, etag: page.etag });
    performance.mark?.('comment-desk:drawn');
    const draft = this.view!.composer.draft;
    if (this.focusComposerOnSignIn && draft) {
      this.focusComposerOnSignIn = false;
      draft.text.focus();
    }
  }

  /** Whether the signed-in reader is banned, read with each first page: the list is drawn knowing it. */
  private async readBan(): Promise<void> {
    const me = this.state.me;
    if (!me) return;
    const known = await withBan(this.api, me);
    if (this.state.me === me && !sameBan(me, known)) this.dispatch({ type: 'signedIn', me: known });
  }

  /** reloadList outside load(): a failure is said, and the list stays as it was. */
  private refresh(): void {
    // A linked comment is read again: a reader who signed in may see it, or more around it.
    const linked = this.state.linked;
    const read = linked?.alone || linked?.found === false ? this.openLinked(linked.id, false) : this.reloadList();
    read.catch((error) => this.view!.announce(this.errorText(error)));
  }

  /**
   * Opens the thread at the comment `id`: marked where it is drawn already, else drawn alone with
   * the comments it answers and its first replies (one read wherever it is in the thread, where
   * paging to it could take many); a comment this reader may not see is said so, above the thread.
   * `reveal`: scrolled to, with the focus (a link followed; not a re-read after signing in).
   */
  private async openLinked(id: string, reveal: boolean, prefetched?: Promise<FirstPage | null>): Promise<void> {
    const { articleId, generation } = this;
    if (!articleId) return;
    if (reveal && this.state.comments.has(id)) {
      this.dispatch({ type: 'linkMarked', id, found: true });
      return this.view!.reveal(id);
    }
    const [context, replies] = await Promise.all([
      this.api.context(id),
      this.api.replies(id, REPLIES_PAGE).catch(() => null),
    ]);
    if (generation !== this.generation) return;
    if (context && context.article.id !== articleId) {
      // Another thread's comment (a page with several): that thread opens at it, this one is left be.
      if (this.state.listing === 0) await this.reloadList((await prefetched) ?? undefined);
      return;
    }
    if (context && !this.state.linked?.found) reveal = true; // it appears (the reader signed in): brought into view
    if (context) {
      this.dispatch({ type: 'contextListed', context, replies });
      performance.mark?.('comment-desk:drawn');
    } else {
      // Not this reader's to see: the whole thread, under the message.
      if (this.state.listing === 0 || this.state.linked?.alone || !reveal)
        await this.reloadList((await prefetched) ?? undefined);
      if (generation !== this.generation) return;
      this.dispatch({ type: 'linkMarked', id, found: false });
    }
    if (!reveal) return;
    this.focusComposerOnSignIn = false; // the comment has the focus
    this.view!.reveal(id);
  }

  /** The page's fragment changed: a link to another comment of this thread is followed. */
  private readonly followLink = (): void => {
    const id = linkedCommentId(location.hash);
    if (id && this.articleId) this.openLinked(id, true).catch((error) => this.view!.announce(this.errorText(error)));
  };

  /**
   * A 401 to a call that carried the page's token: the reader is signed out and told why, and the
   * thread is read again without it. False if the token was not the cause.
   */
  private refused(error: unknown): boolean {
    if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || !this._token || this.state.signInTrouble)
      return false;
    this.dispatch({ type: 'signInRefused', trouble: refusalOf(this._token, Date.now(), error.detail) });
    return true;
  }

  private errorText(error: unknown): string {
    if (this.refused(error)) {
      if (this.articleId) this.refresh();
      return this.state.signInTrouble === 'expired' ? this.t.errors.signInAgain : this.t.errors.tokenInvalid;
    }
    const head = this.state.head;
    if (error instanceof ApiError && error.code === 'ARTICLE_CLOSED' && head && !head.closed)
      this.tell(this.dispatch({ type: 'headChanged', head: { ...head, closed: true, closedMessage: error.detail } }));
    return errorMessage(this.t, error);
  }

  // ---- what the reader does -----------------------------------------------------------------

  private readonly calls: ThreadCalls = {
    signIn: () => {
      this.focusComposerOnSignIn = true;
      const session = this.sessionSignIn();
      if (session)
        return session.begin(this.view!.composer, this.api, this.t, this.locale, {
          cancel: () => this.view!.composer.signInCancelled(this.state),
          errorText: (error) => this.errorText(error),
        });
      this.dispatchEvent(new CustomEvent('comment-desk-login', { bubbles: true, composed: true }));
    },
    retry: () => void this.load(),
    showAll: async () => {
      // The fragment goes too: a reload or a shared address opens the whole thread.
      if (linkedCommentId(location.hash)) history.replaceState(history.state, '', location.pathname + location.search);
      try {
        await this.reloadList();
        this.view!.heading.focus();
      } catch (error) {
        this.view!.announce(this.errorText(error));
      }
    },
    sort: (sort) => {
      this.dispatch({ type: 'sorted', sort });
      this.refresh();
    },
    showMore: async () => {
      const { articleId, state } = this;
      if (!articleId || !state.nextCursor) return;
      try {
        const page = await this.api.thread(articleId, state.sort, PAGE, state.nextCursor);
        const before = page.body ? this.dispatch({ type: 'moreListed', page: page.body }) : this.state;
        (this.view!.article(firstDrawn(before, this.state)) ?? this.view!.moreButton).focus();
      } catch (error) {
        this.view!.announce(this.errorText(error));
      }
    },
    showFresh: () => {
      const before = this.dispatch({ type: 'freshShown' });
      (this.view!.article(firstDrawn(before, this.state)) ?? this.view!.heading).focus();
    },
    moreReplies: async (id) => {
      const shown = this.state.comments.get(id);
      if (!shown) return;
      try {
        const page = await this.api.replies(id, REPLIES_PAGE, shown.repliesCursor ?? undefined);
        const before = this.dispatch({ type: 'repliesListed', parentId: id, page });
        (this.view!.article(firstDrawn(before, this.state)) ?? this.view!.article(id))?.focus();
      } catch (error) {
        this.view!.announce(this.errorText(error));
      }
    },
    post: async (body, parentId, idempotencyKey) => {
      const c = await this.api.post(this.articleId!, body, parentId, idempotencyKey);
      this.view!.announce(isVisible(c) ? this.t.posted : this.t.postedHeld);
      this.dispatch({ type: 'posted', comment: c, live: !!this.live?.streaming });
      return c;
    },
    edit: async (id, body) => {
      const c = await this.api.edit(id, body);
      this.dispatch({ type: 'updated', comment: c });
      this.view!.announce(c.status === 'pending' ? this.t.postedHeld : this.t.saved);
    },
    remove: async (id) => {
      await this.api.remove(id);
      this.view!.announce(this.t.commentDeleted);
      this.dispatch({ type: 'removed', id, live: !!this.live?.streaming });
      this.view!.article(id)?.focus(); // a tombstone, while it has replies
    },
    report: (id, reason, note) => this.api.report(id, reason, note),
    errorText: (error) => this.errorText(error),
    api: () => this.api,
    focus: (id) => this.view!.article(id)?.focus(),
  };

  // ---- live updates --------------------------------------------------------------------------

  /** The first page, revalidated with its ETag: 304 costs the server a version read. */
  private async poll(): Promise<void> {
    if (!this.articleId || document.hidden) return; // a background tab waits for the next poll
    if (this.state.linked?.alone) return; // the first page is not drawn
    try {
      const page = await this.api.thread(this.articleId, this.state.sort, PAGE, undefined, this.state.etag);
      if (page.body) this.tell(this.dispatch({ type: 'polled', page: page.body, etag: page.etag }));
    } catch {
      // the next poll tries again
    }
  }

  private onEvent(event: LiveEvent): void {
    const before = this.dispatch({ type: 'event', event, focused: this.view!.focused() });
    this.tell(before);
    // The reader's own comment was withheld: read its status (pending, rejected and why).
    const own = before.comments.get(event.data.id);
    if (event.type === 'comment.hidden' && own && isMine(before.me, own.c)) void this.refreshOwn(own.c.id);
  }

  private async refreshOwn(id: string): Promise<void> {
    try {
      this.dispatch({ type: 'updated', comment: await this.api.comment(id) });
    } catch {
      // it stays as it was
    }
  }
}
