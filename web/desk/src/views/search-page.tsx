import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, call } from '../api/client';
import { problemText } from '../forms';
import { go, href, route } from '../router';
import { STATUS_LABEL } from '../words';
import { CardList, type CardEntry } from './card-list';

const FIELDS = ['q', 'author', 'status', 'from', 'to', 'articleId', 'authorId', 'commentId'] as const;
type Field = (typeof FIELDS)[number];
const STATUSES = ['pending', 'published', 'approved', 'rejected'] as const;
const SEARCH_FIELDS = {
  q: { label: 'Words' },
  author: { label: 'Author' },
  from: { label: 'Posted from' },
  to: { label: 'Posted before' },
};

/** datetime-local has no zone: the moderator's own, sent as an instant. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * Comments of every article and status, by words of their text, author, status and time. The
 * query lives in the route, so a search can be linked to and comes back on reload.
 */
export function SearchPage() {
  const params = route.value.params;
  const form = useSignal<Record<Field, string>>(
    Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>,
  );
  const entries = useSignal<CardEntry[]>([]);
  const cursor = useSignal<string | null>(null);
  const state = useSignal<'idle' | 'loading' | 'done'>('idle');
  const problem = useSignal<string | null>(null);
  const query = params.toString();

  const load = async (after?: string) => {
    state.value = 'loading';
    problem.value = null;
    const p = route.value.params;
    try {
      const page = await call(() =>
        api.GET('/api/moderation/comments', {
          params: {
            query: {
              q: p.get('q') || undefined,
              author: p.get('author') || undefined,
              status: (p.get('status') || undefined) as (typeof STATUSES)[number] | undefined,
              articleId: p.get('articleId') || undefined,
              authorId: p.get('authorId') || undefined,
              commentId: p.get('commentId') || undefined,
              from: toInstant(p.get('from') ?? ''),
              to: toInstant(p.get('to') ?? ''),
              limit: 25,
              cursor: after,
            },
          },
        }),
      );
      const fresh = page.items.map((item) => ({ item }));
      entries.value = after ? [...entries.value, ...fresh] : fresh;
      cursor.value = page.nextCursor;
    } catch (error) {
      problem.value = problemText(error, SEARCH_FIELDS);
    }
    state.value = 'done';
  };

  useEffect(() => {
    document.title = 'Search · Comment Desk';
    form.value = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>;
    if (FIELDS.some((f) => params.get(f))) void load();
    else entries.value = [];
  }, [query]);

  const submit = (event: Event) => {
    event.preventDefault();
    go(href('search', [], form.value));
  };
  const field = (name: Field) => ({
    id: `search-${name}`,
    value: form.value[name],
    onInput: (e: { currentTarget: { value: string } }) =>
      (form.value = { ...form.value, [name]: e.currentTarget.value }),
  });

  return (
    <>
      <h1 tabIndex={-1}>Search comments</h1>
      <form class="panel form-grid" role="search" onSubmit={submit}>
        <label for="search-q">
          Words or a fragment of the text
          <input type="search" {...field('q')} maxLength={200} />
        </label>
        <label for="search-author">
          Author (user id or part of a name)
          <input {...field('author')} maxLength={200} />
        </label>
        <label for="search-status">
          Status
          <select {...field('status')} onChange={field('status').onInput}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option value={s}>{STATUS_LABEL[s]}</option>
            ))}
          </select>
        </label>
        <label for="search-from">
          Posted from
          <input type="datetime-local" {...field('from')} />
        </label>
        <label for="search-to">
          Posted before
          <input type="datetime-local" {...field('to')} />
        </label>
        <div>
          <button type="submit" class="primary">
            Search
          </button>
        </div>
      </form>
      {(form.value.articleId || form.value.authorId || form.value.commentId) && (
        <p>
          {form.value.commentId ? 'One comment.' : form.value.articleId ? 'In one article only.' : 'By one user only.'}{' '}
          <a
            href={href('search', [], {
              ...form.value,
              articleId: undefined,
              authorId: undefined,
              commentId: undefined,
            })}
          >
            Search everything
          </a>
        </p>
      )}
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {state.value === 'done' && entries.value.length === 0 && !problem.value && (
        <p class="empty">No comment matches.</p>
      )}
      {entries.value.length > 0 && (
        <CardList
          label="Search results"
          entries={entries.value}
          setEntries={(next) => (entries.value = next)}
          keeps={() => true}
        />
      )}
      {state.value === 'loading' && <p class="loading">Searching…</p>}
      {cursor.value && state.value === 'done' && (
        <button type="button" class="more" onClick={() => load(cursor.value!)}>
          Load more
        </button>
      )}
    </>
  );
}
