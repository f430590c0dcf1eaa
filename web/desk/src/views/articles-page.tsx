import { useSignal, type Signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, api, call, type Article } from '../api/client';
import { announcement } from '../decisions';
import { number, when } from '../format';
import { STATUS_LABEL } from '../words';
import { Fields, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { PageFooter, usePaged } from '../paged';
import { pageSite } from '../site-choice';
import { go, href, route } from '../router';
import { settings } from '../settings-store';
import { ARTICLE_FIELDS, Draft, draftOf, ModerationForm } from './article-moderation-form';
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
    `${pageSite.value} ${q}`,
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
