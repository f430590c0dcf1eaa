import { useSignal, type Signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, api, call, type Article } from '../api/client';
import { announcement } from '../decisions';
import { number, when } from '../format';
import { STATUS_LABEL } from '../words';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { PageFooter, usePaged } from '../paged';
import { go, href, route } from '../router';
import { settings } from '../settings-store';
import { fromLocalInput, ModerationModeChoice, toLocalInput } from './article-fields';
import { NewArticle } from './new-article';

/** `#/articles?q=…` finds articles; `#/articles/<id>` is one article's page. */
export function ArticlesPage() {
  const id = route.value.parts[0];
  return id ? <ArticlePage key={id} id={id} /> : <FindArticles />;
}

function FindArticles() {
  const heading = usePageHeading('Articles');
  const q = route.value.params.get('q') ?? '';
  const draft = useSignal(q);
  useEffect(() => void (draft.value = q), [q]);
  const found = usePaged(
    (cursor) => call(() => api.GET('/api/articles', { params: { query: { q: q || undefined, cursor, limit: 25 } } })),
    q,
  );
  const submit = (event: Event) => {
    event.preventDefault();
    const wanted = draft.value.trim();
    if (wanted === q) void found.reload();
    else go(href('articles', [], { q: wanted }));
  };
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Articles
      </h1>
      <NewArticle />
      <form class="panel search-row" role="search" aria-label="Find an article" onSubmit={submit}>
        <label for="article-q">Title or URL</label>
        <input
          id="article-q"
          type="search"
          maxLength={200}
          value={draft.value}
          onInput={(e) => (draft.value = e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          Find
        </button>
      </form>
      {found.items.value.length > 0 && (
        <table class="stacked">
          <caption class="visually-hidden">{q ? `Articles matching “${q}”` : 'Articles, newest first'}</caption>
          <thead>
            <tr>
              <th scope="col">Article</th>
              <th scope="col">Comments</th>
              <th scope="col">Pending</th>
              <th scope="col">Reported</th>
              <th scope="col">Thread</th>
            </tr>
          </thead>
          <tbody>
            {found.items.value.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={href('articles', [a.id])}>
                    <bdi>{a.title}</bdi>
                  </a>
                  <div class="muted url">{a.url}</div>
                </td>
                <td data-label="Comments">{number(a.counts.visible)}</td>
                <td data-label="Pending">{number(a.counts.pending ?? 0)}</td>
                <td data-label="Reported">{number(a.counts.reported ?? 0)}</td>
                <td data-label="Thread">{a.closed ? 'Closed' : 'Open'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageFooter
        paged={found}
        what="articles"
        empty={q ? `No article’s title or URL has “${q}”.` : 'No articles yet.'}
      />
    </>
  );
}

type Loaded = { state: 'loading' } | { state: 'missing' } | { state: 'failed'; text: string } | Article;

function ArticlePage({ id }: { id: string }) {
  const loaded = useSignal<Loaded>({ state: 'loading' });
  const article = 'id' in loaded.value ? loaded.value : null;
  const heading = usePageHeading(article?.title ?? 'Article');
  useEffect(() => {
    call(() => api.GET('/api/articles/{id}', { params: { path: { id } } })).then(
      (a) => (loaded.value = a),
      (error) =>
        (loaded.value =
          error instanceof ApiError && (error.status === 404 || error.status === 400)
            ? { state: 'missing' }
            : { state: 'failed', text: problemText(error) }),
    );
  }, []);

  const state = 'state' in loaded.value ? loaded.value : null;
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        <bdi>{article?.title ?? 'Article'}</bdi>
      </h1>
      {article ? (
        <ArticleDetail article={article} onChange={(a) => (loaded.value = a)} />
      ) : state?.state === 'missing' ? (
        <p>
          There is no article with the id <code>{id}</code>. <a href={href('articles')}>Find an article</a>
        </p>
      ) : state?.state === 'failed' ? (
        <p class="error" role="alert">
          Could not load the article: {state.text}
        </p>
      ) : (
        <p class="loading">Loading…</p>
      )}
    </>
  );
}

/** The values of the moderation form, as typed. */
interface Draft {
  moderationMode: Article['moderationMode'];
  showDisclaimer: boolean;
  disclaimerText: string;
  /** A datetime-local value, in the moderator's time zone; empty: no scheduled close. */
  closeAt: string;
}

const draftOf = (a: Article): Draft => ({
  moderationMode: a.moderationMode,
  showDisclaimer: a.disclaimer.show,
  disclaimerText: a.disclaimer.text,
  closeAt: toLocalInput(a.closeAt),
});

function ArticleDetail(props: { article: Article; onChange: (a: Article) => void }) {
  const { article } = props;
  const draft = useSignal<Draft>(draftOf(article));
  const closeMessage = useSignal(settings.value?.defaultClosedMessage ?? '');
  const counts = article.counts;
  const saved = draftOf(article);
  const dirty = JSON.stringify(saved) !== JSON.stringify(draft.value);

  return (
    <>
      <p class="muted url">
        <a href={article.url} target="_blank" rel="noopener">
          {article.url}
        </a>
      </p>
      <section class="panel" aria-labelledby="article-counts">
        <h2 id="article-counts">Comments</h2>
        <dl class="tally">
          {(
            [
              ['visible', 'Visible to readers', undefined],
              ['pending', STATUS_LABEL.pending, 'pending'],
              ['published', STATUS_LABEL.published, 'published'],
              ['approved', STATUS_LABEL.approved, 'approved'],
              ['rejected', STATUS_LABEL.rejected, 'rejected'],
              ['reported', 'Reported', undefined],
            ] as const
          ).map(([key, label, status]) => (
            <div>
              <dt>{label}</dt>
              <dd>
                {status ? (
                  <a
                    href={href('search', [], { articleId: article.id, status })}
                    aria-label={`${label}: ${number(counts[key] ?? 0)}, see them`}
                  >
                    {number(counts[key] ?? 0)}
                  </a>
                ) : (
                  number(counts[key] ?? 0)
                )}
              </dd>
            </div>
          ))}
        </dl>
        <p class="actions">
          <a href={href('search', [], { articleId: article.id })}>All its comments</a>
          <a href={href('log', [], { articleId: article.id })}>Its moderation log</a>
          <a href={article.url} target="_blank" rel="noopener">
            Its thread, as readers see it
          </a>
        </p>
      </section>
      <div class="beside">
        <div>
          <Closing article={article} message={closeMessage} onChange={props.onChange} />
          <ModerationForm article={article} draft={draft} dirty={dirty} onChange={props.onChange} />
        </div>
        <Preview article={article} draft={draft.value} dirty={dirty} closeMessage={closeMessage.value} />
      </div>
    </>
  );
}

/** What readers read above the thread, as the embed shows it: the article's own words, with the edits not yet saved. */
function Preview(props: { article: Article; draft: Draft; dirty: boolean; closeMessage: string }) {
  const { article, draft } = props;
  const disclaimer = draft.showDisclaimer ? draft.disclaimerText : null;
  const closedMessage = article.closed ? article.closedMessage || DEFAULT_CLOSED_NOTICE : null;
  return (
    <section class="panel sticky" aria-labelledby="article-preview">
      <h2 id="article-preview">What readers read</h2>
      {props.dirty && <p class="muted">With your changes below, once saved.</p>}
      <div class="preview reader" role="group" aria-label="As readers see the thread">
        {disclaimer && <p class="notice disclaimer">{disclaimer}</p>}
        {closedMessage && <p class="notice closed">{closedMessage}</p>}
        {!disclaimer && !closedMessage && <p class="muted">No notice above the comments.</p>}
        <p class="muted">
          {article.closed
            ? 'No comment form: no one can comment.'
            : draft.moderationMode === 'pre'
              ? 'Readers can comment; a new comment waits for a moderator, and its author reads “Awaiting moderation: only you can see this comment for now.”'
              : 'Readers can comment; a new comment appears at once.'}
        </p>
      </div>
      {!article.closed && (
        <>
          <h3>Once closed</h3>
          <div class="preview reader" role="group" aria-label="As readers will see it once closed">
            {disclaimer && <p class="notice disclaimer">{disclaimer}</p>}
            <p class="notice closed">{props.closeMessage.trim() || DEFAULT_CLOSED_NOTICE}</p>
            <p class="muted">No comment form: no one can comment.</p>
          </div>
        </>
      )}
    </section>
  );
}

/** What the embed says of a closed thread without a message of its own (its English text). */
const DEFAULT_CLOSED_NOTICE = 'We are no longer accepting comments on this article.';

/** Closing by hand with the readers' message, and reopening. */
function Closing(props: { article: Article; message: Signal<string>; onChange: (a: Article) => void }) {
  const { article, message } = props;
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const path = { params: { path: { id: article.id } } };

  const run = async (request: () => Promise<Article>, said: string) => {
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    try {
      props.onChange(await request());
      announcement.value = { text: said };
    } catch (error) {
      errors.value = fieldErrors(error);
      if (!errors.value.message) problem.value = `That did not work: ${problemText(error, ARTICLE_FIELDS)}`;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };
  const close = (event: Event) => {
    event.preventDefault();
    void run(
      () => call(() => api.POST('/api/articles/{id}/close', { ...path, body: { message: message.value.trim() } })),
      'The article is closed.',
    );
  };
  const reopen = () => run(() => call(() => api.POST('/api/articles/{id}/reopen', path)), 'The article is open again.');

  const f = new Fields('close', errors.value, ARTICLE_FIELDS);
  return (
    <section class="panel" aria-labelledby="article-closing">
      <h2 id="article-closing">{article.closed ? 'Closed' : 'Open for comments'}</h2>
      {article.closed ? (
        <div class="stack">
          <p>
            Closed {article.closedAt ? when(article.closedAt) : ''}. Readers read: “
            {article.closedMessage || DEFAULT_CLOSED_NOTICE}”
          </p>
          <button type="button" class="approve" aria-disabled={busy.value ? 'true' : undefined} onClick={reopen}>
            Reopen article
          </button>
        </div>
      ) : (
        <form ref={form} class="stack" onSubmit={close} noValidate>
          <label for="close-message">Message readers will see</label>
          <textarea
            id="close-message"
            rows={2}
            maxLength={1000}
            value={message.value}
            onInput={(e) => (message.value = e.currentTarget.value)}
            {...f.control('message')}
          />
          {f.message('message')}
          <button type="submit" class="reject" aria-disabled={busy.value ? 'true' : undefined}>
            Close article
          </button>
        </form>
      )}
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
    </section>
  );
}

const FORM_FIELDS = ['moderationMode', 'closeAt', 'disclaimer.show', 'disclaimer.text', 'disclaimer'];
/** The article's fields in the API's messages: "Disclaimer text must not be empty". */
const ARTICLE_FIELDS = {
  moderationMode: { label: 'When comments appear' },
  closeAt: { label: 'Scheduled close' },
  disclaimer: { label: 'Disclaimer' },
  'disclaimer.show': { label: 'Show the disclaimer' },
  'disclaimer.text': { label: 'Disclaimer text' },
  message: { label: 'Message' },
};

/** Pre- or post-moderation, the disclaimer and the scheduled close: the changed ones saved together. */
function ModerationForm(props: {
  article: Article;
  draft: Signal<Draft>;
  dirty: boolean;
  onChange: (a: Article) => void;
}) {
  const { article, draft } = props;
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    const d = draft.value;
    const saved = draftOf(article);
    const body: {
      moderationMode?: Draft['moderationMode'];
      closeAt?: string | null;
      disclaimer?: { show?: boolean; text?: string };
    } = {};
    if (d.moderationMode !== saved.moderationMode) body.moderationMode = d.moderationMode;
    if (d.closeAt !== saved.closeAt) body.closeAt = fromLocalInput(d.closeAt);
    // The disclaimer is sent as shown in the preview, so readers read exactly that.
    if (d.showDisclaimer !== saved.showDisclaimer || d.disclaimerText !== saved.disclaimerText)
      body.disclaimer = { show: d.showDisclaimer, text: d.disclaimerText.trim() };
    errors.value = {};
    problem.value = null;
    if (Object.keys(body).length === 0) {
      announcement.value = { text: 'Nothing has changed.' };
      return;
    }
    busy.value = true;
    try {
      const next = await call(() => api.PATCH('/api/articles/{id}', { params: { path: { id: article.id } }, body }));
      props.onChange(next);
      draft.value = draftOf(next);
      announcement.value = { text: 'Saved.' };
    } catch (error) {
      errors.value = fieldErrors(error);
      const refusal = new Fields('article', errors.value, ARTICLE_FIELDS).refusal(error, FORM_FIELDS, 'Not saved');
      if (refusal) problem.value = refusal;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const f = new Fields('article', errors.value, ARTICLE_FIELDS);
  const d = draft.value;
  return (
    <form ref={form} class="panel stack" aria-labelledby="article-moderation" onSubmit={submit} noValidate>
      <h2 id="article-moderation">Moderation</h2>
      <ModerationModeChoice
        name="moderation-mode"
        value={d.moderationMode}
        onChange={(moderationMode) => set({ moderationMode })}
        message={f.message('moderationMode')}
      />
      <fieldset>
        <legend>Unmoderated disclaimer</legend>
        <div class="stack">
          <label class="inline">
            <input
              type="checkbox"
              checked={d.showDisclaimer}
              onChange={(e) => set({ showDisclaimer: e.currentTarget.checked })}
              {...f.control('disclaimer.show')}
            />
            Show the disclaimer above the comments
          </label>
          {f.message('disclaimer.show')}
          <label for="disclaimer-text">Disclaimer text</label>
          <textarea
            id="disclaimer-text"
            rows={2}
            maxLength={1000}
            value={d.disclaimerText}
            onInput={(e) => set({ disclaimerText: e.currentTarget.value })}
            {...f.control('disclaimer.text')}
          />
          {f.message('disclaimer.text')}
        </div>
      </fieldset>
      <fieldset>
        <legend>Scheduled close</legend>
        <div class="stack">
          <label for="close-at">Close by itself at (your time)</label>
          <div class="actions">
            <input
              id="close-at"
              type="datetime-local"
              value={d.closeAt}
              onInput={(e) => set({ closeAt: e.currentTarget.value })}
              {...f.control('closeAt', 'close-at-hint')}
            />
            <button type="button" class="quiet" disabled={!d.closeAt} onClick={() => set({ closeAt: '' })}>
              Clear the schedule
            </button>
          </div>
          <p id="close-at-hint" class="muted hint">
            {d.closeAt ? 'Empty it to keep the article open.' : 'Empty: no scheduled close.'}
          </p>
          {f.message('closeAt')}
        </div>
      </fieldset>
      <FormFooter
        problem={problem.value}
        busy={busy.value}
        save="Save changes"
        onUndo={props.dirty ? () => ((draft.value = draftOf(article)), (errors.value = {})) : undefined}
      />
    </form>
  );
}
