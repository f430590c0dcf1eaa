import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { problemText } from './forms';

export interface PageOf<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * A list read page by page with the API's nextCursor ("Load more"), read again from the start
 * whenever `key` changes; an answer for an earlier key that arrives late is dropped.
 */
export function usePaged<T>(fetchPage: (cursor?: string) => Promise<PageOf<T>>, key: string) {
  const items = useSignal<T[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(false);
  const loaded = useSignal(false);
  const problem = useSignal<string | null>(null);
  const generation = useRef(0);
  const latest = useRef(fetchPage);
  latest.current = fetchPage;

  const load = async (after?: string) => {
    const mine = after ? generation.current : ++generation.current;
    loading.value = true;
    problem.value = null;
    try {
      const page = await latest.current(after);
      if (mine !== generation.current) return;
      items.value = after ? [...items.value, ...page.items] : page.items;
      cursor.value = page.nextCursor ?? null;
      loaded.value = true;
    } catch (error) {
      if (mine === generation.current) problem.value = problemText(error);
    } finally {
      if (mine === generation.current) loading.value = false;
    }
  };

  useEffect(() => {
    items.value = [];
    cursor.value = null;
    loaded.value = false;
    void load();
  }, [key]);

  return {
    items,
    loading,
    loaded,
    problem,
    cursor,
    reload: () => load(),
    more: () => (cursor.value ? load(cursor.value) : undefined),
  };
}

export type Paged<T> = ReturnType<typeof usePaged<T>>;

/** Below a paged list: loading, nothing found, what failed, or "Load more" while there is more. */
export function PageFooter<T>(props: { paged: Paged<T>; empty: string; what: string }) {
  const { paged } = props;
  if (paged.problem.value)
    return (
      <p class="error" role="alert">
        Could not load the {props.what}: {paged.problem.value}{' '}
        <button type="button" class="quiet" onClick={() => (paged.cursor.value ? paged.more() : paged.reload())}>
          Try again
        </button>
      </p>
    );
  if (!paged.loaded.value) return paged.loading.value ? <p class="loading">Loading…</p> : null;
  if (paged.items.value.length === 0 && !paged.loading.value) return <p class="empty">{props.empty}</p>;
  // The button stays while the next page loads, so the keyboard focus stays on it.
  if (paged.cursor.value)
    return (
      <button
        type="button"
        class="more"
        aria-disabled={paged.loading.value ? 'true' : undefined}
        onClick={() => !paged.loading.value && paged.more()}
      >
        {paged.loading.value ? 'Loading…' : `Load more ${props.what}`}
      </button>
    );
  return null;
}
