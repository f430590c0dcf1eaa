import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { onModerationEvent } from '../api/stream';
import { ApiError, api, call } from '../api/client';
import { Fields, fieldErrors, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { PageFooter, usePaged } from '../paged';
import { pageSite } from '../site-choice';
import { go, href, route } from '../router';
import { count } from '../format';
import { LogTable } from './log-table';
import { NamePicker, type Named } from './name-picker';

const FILTERS = [
  ['actorId', 'Moderator'],
  ['articleId', 'Article'],
  ['targetId', 'User'],
] as const;
/** The filters in the API's messages: "Article id must be a UUID". */
const FILTER_NAMES = {
  actorId: { label: 'Moderator' },
  articleId: { label: 'Article id' },
  targetId: { label: 'User id' },
};
type Filter = (typeof FILTERS)[number][0];
type Labels = Partial<Record<Filter, string | null>>;

const findArticles = async (q: string): Promise<Named[]> => {
  const page = await call(() => api.GET('/api/articles', { params: { query: { q, limit: 8 } } }));
  return page.items.map((a) => ({ id: a.id, label: a.title }));
};
const findUsers = async (q: string): Promise<Named[]> => {
  const found = await call(() => api.GET('/api/moderation/log/users', { params: { query: { q } } }));
  return found.items.map((u) => ({ id: u.id, label: u.name ?? u.id }));
};

/** The names of the filters a link or the route brought (`#/log?articleId=…`), to show instead of their ids. */
async function labelsOf(applied: Record<Filter, string>): Promise<Labels> {
  const labels: Labels = {};
  const named = async (filter: Filter, read: () => Promise<string | null>) => {
    if (applied[filter]) labels[filter] = await read().catch(() => null);
  };
  await Promise.all([
    named('articleId', async () => {
      const { data } = await api.GET('/api/articles/{id}', { params: { path: { id: applied.articleId } } });
      return data?.title ?? null;
    }),
    named('targetId', async () => {
      const { data } = await api.GET('/api/moderation/users/{id}', { params: { path: { id: applied.targetId } } });
      return data?.name ?? null;
    }),
  ]);
  return labels;
}

/** The moderation log, newest first, as far back as it goes; its filters live in the route (`#/log?actorId=…`). */
export function LogPage() {
  const heading = usePageHeading('Moderation log');
  const params = route.value.params;
  const applied = Object.fromEntries(FILTERS.map(([name]) => [name, params.get(name) ?? ''])) as Record<Filter, string>;
  const key = JSON.stringify(applied);
  const listKey = `${pageSite.value} ${key}`;
  const draft = useSignal(applied);
  const labels = useSignal<Labels>({});
  const moderators = useSignal<Named[]>([]);
  const errors = useSignal<FieldErrors>({});
  const arrived = useSignal(0);

  // Following a link to other filters (a moderator's name) puts them in the form too.
  useEffect(() => {
    draft.value = applied;
    arrived.value = 0;
    void labelsOf(applied).then((named) => (labels.value = named));
  }, [key]);

  useEffect(() => {
    void call(() => api.GET('/api/moderation/log/moderators')).then(
      (found) => (moderators.value = found.items.map((m) => ({ id: m.id, label: m.name ?? m.id }))),
      () => undefined,
    );
  }, [pageSite.value]);

  const log = usePaged(async (cursor) => {
    errors.value = {};
    try {
      return await call(() =>
        api.GET('/api/moderation/log', {
          params: {
            query: {
              limit: 50,
              cursor,
              actorId: applied.actorId || undefined,
              articleId: applied.articleId || undefined,
              targetId: applied.targetId || undefined,
            },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) errors.value = fieldErrors(error);
      throw error;
    }
  }, listKey);

  // Decisions taken since the page opened are counted, not slipped in: "Show" reads the log again.
  useEffect(
    () =>
      onModerationEvent((event) => {
        if (event.type === 'comment.reported') return;
        const e = event.data;
        const matches =
          (!applied.actorId || e.actor?.id === applied.actorId) &&
          (!applied.articleId || e.articleId === applied.articleId) &&
          (!applied.targetId || e.targetId === applied.targetId);
        if (matches) arrived.value++;
      }),
    [key],
  );

  const submit = (event: Event) => {
    event.preventDefault();
    const wanted = Object.fromEntries(Object.entries(draft.value).map(([k, v]) => [k, v.trim()]));
    if (JSON.stringify(wanted) === key) void log.reload();
    else go(href('log', [], wanted));
  };

  const f = new Fields('log', errors.value, FILTER_NAMES);
  const filtered = FILTERS.some(([name]) => applied[name]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Moderation log
      </h1>
      <form class="panel" role="search" aria-label="Filter the log" onSubmit={submit} noValidate>
        <div class="form-grid">
          <div class="field">
            <label for="log-actorId">Moderator</label>
            <select
              id="log-actorId"
              name="actorId"
              value={draft.value.actorId}
              onChange={(e) => (draft.value = { ...draft.value, actorId: e.currentTarget.value })}
              {...f.control('actorId')}
            >
              <option value="">Anyone</option>
              {draft.value.actorId && !moderators.value.some((m) => m.id === draft.value.actorId) && (
                <option value={draft.value.actorId}>{draft.value.actorId}</option>
              )}
              {moderators.value.map((m) => (
                <option value={m.id}>{m.label}</option>
              ))}
            </select>
            {f.message('actorId')}
          </div>
          {(
            [
              ['articleId', findArticles],
              ['targetId', findUsers],
            ] as const
          ).map(([name, find]) => (
            <div class="field">
              <label for={`log-${name}`}>{FILTERS.find(([n]) => n === name)![1]}</label>
              <NamePicker
                id={`log-${name}`}
                value={draft.value[name]}
                label={labels.value[name] ?? null}
                find={find}
                onChange={(value, label) => {
                  draft.value = { ...draft.value, [name]: value };
                  labels.value = { ...labels.value, [name]: label };
                }}
                control={f.control(name)}
              />
              {f.message(name)}
            </div>
          ))}
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Filter
          </button>
          {filtered && (
            <a class="button quiet" href={href('log')}>
              Clear filters
            </a>
          )}
        </div>
      </form>
      {arrived.value > 0 && (
        <button type="button" class="arrived" onClick={() => ((arrived.value = 0), log.reload())}>
          {count(arrived.value, 'new entry', 'new entries')} — show
        </button>
      )}
      {log.items.value.length > 0 && (
        <LogTable
          entries={log.items.value}
          caption={filtered ? 'The moderation log, filtered, newest first' : 'The moderation log, newest first'}
        />
      )}
      <PageFooter
        paged={log}
        what="entries"
        empty={filtered ? 'Nothing in the log matches these filters.' : 'Nothing has been logged yet.'}
      />
      {log.loaded.value && !log.cursor.value && log.items.value.length > 0 && (
        <p class="muted end">That is as far back as the log goes.</p>
      )}
    </>
  );
}
