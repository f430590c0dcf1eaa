import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ApiError, api, call } from '../api/client';
import { onModerationEvent, QUEUES, queueCounts, type QueueName } from '../api/stream';
import { count, number } from '../format';
import { go, href, route } from '../router';
import { CardList, type CardEntry } from './card-list';
import { listSite } from '../site-choice';

export const QUEUE_LABEL: Record<QueueName, string> = {
  pending: 'Pending',
  reported: 'Reported',
  unmoderated: 'Unmoderated',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** Which statuses each queue holds: a decided card leaves a queue that no longer holds it. */
const KEEPS: Record<QueueName, (status: string) => boolean> = {
  pending: (s) => s === 'pending',
  reported: () => false, // a decision resolves the reports
  unmoderated: (s) => s === 'published',
  approved: (s) => s === 'approved',
  rejected: (s) => s === 'rejected',
};

const PAGE = 50;

const fetchQueue = (queue: QueueName, cursor?: string) =>
  call(() => api.GET('/api/moderation/queue/{queue}', { params: { path: { queue }, query: { limit: PAGE, cursor } } }));

let prefetched: { queue: QueueName; site: string | null; page: ReturnType<typeof fetchQueue> } | null = null;

/** Asks for the first page while the app is still starting: the first draw waits for one round trip, not for rendering first. */
export function prefetchQueue(queue: string): void {
  if (!(QUEUES as readonly string[]).includes(queue)) return;
  prefetched = { queue: queue as QueueName, site: listSite.value, page: fetchQueue(queue as QueueName) };
  prefetched.page.catch(() => {}); // the page that takes it reports the error
}

function takePrefetched(queue: QueueName, cursor?: string) {
  const taken =
    !cursor && prefetched?.queue === queue && prefetched.site === listSite.value ? prefetched.page : undefined;
  prefetched = null;
  return taken;
}

export function QueuePage() {
  const queue: QueueName = (QUEUES as readonly string[]).includes(route.value.parts[0])
    ? (route.value.parts[0] as QueueName)
    : 'pending';
  const entries = useSignal<CardEntry[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const arrived = useSignal(0);
  const problem = useSignal<string | null>(null);

  const load = async (after?: string) => {
    loading.value = true;
    problem.value = null;
    let page;
    try {
      page = await (takePrefetched(queue, after) ?? fetchQueue(queue, after));
    } catch (error) {
      problem.value = error instanceof ApiError ? error.message : String(error);
      loading.value = false;
      return;
    }
    const known = new Set(after ? entries.value.map((e) => e.item.id) : []);
    const fresh = page.items.filter((i) => !known.has(i.id)).map((item) => ({ item }));
    entries.value = after ? [...entries.value, ...fresh] : fresh;
    cursor.value = page.nextCursor;
    loading.value = false;
    if (!after) arrived.value = 0;
  };

  // For the benchmark (bench/desk.mjs): when the first page of the queue is on screen.
  const drawn = !loading.value && entries.value.length > 0;
  useEffect(() => {
    if (drawn && performance.getEntriesByName('comment-desk:queue-drawn').length === 0)
      performance.mark('comment-desk:queue-drawn');
  }, [drawn]);

  useEffect(() => {
    entries.value = [];
    void load();
    document.title = `${QUEUE_LABEL[queue]} · Comment Desk`;
  }, [queue, listSite.value]);

  // New comments are announced, not slipped under the moderator's cursor; "Show" brings them in.
  useEffect(
    () =>
      onModerationEvent((event) => {
        const arrivesHere =
          (event.type === 'comment.held' && queue === 'pending') ||
          (event.type === 'comment.reported' && queue === 'reported');
        if (arrivesHere) arrived.value++;
      }),
    [queue],
  );

  const nextQueue = () => go(href('queue', [QUEUES[(QUEUES.indexOf(queue) + 1) % QUEUES.length]]));
  const counts = queueCounts.value;
  return (
    <>
      <h1 class="visually-hidden">Queues</h1>
      <nav class="tabs" role="tablist" aria-label="Queues">
        {QUEUES.map((q) => (
          <a
            role="tab"
            href={href('queue', [q])}
            aria-selected={q === queue}
            aria-controls="queue-panel"
            id={`tab-${q}`}
          >
            {QUEUE_LABEL[q]}
            {counts && <span class="count">{number(counts[q])}</span>}
          </a>
        ))}
      </nav>
      <div id="queue-panel" role="tabpanel" aria-labelledby={`tab-${queue}`}>
        {arrived.value > 0 && (
          <button type="button" class="arrived" onClick={() => load()}>
            {count(arrived.value, 'new comment', 'new comments')} — show
          </button>
        )}
        <CardList
          label={`${QUEUE_LABEL[queue]} comments`}
          entries={entries.value}
          setEntries={(next) => (entries.value = next)}
          keeps={KEEPS[queue]}
          onNextQueue={nextQueue}
        />
        {problem.value && (
          <p class="error" role="alert">
            {problem.value}
          </p>
        )}
        {!loading.value && !problem.value && entries.value.length === 0 && (
          <p class="empty">Nothing here. Well done.</p>
        )}
        {loading.value && <p class="loading">Loading…</p>}
        {cursor.value && !loading.value && (
          <button type="button" class="more" onClick={() => load(cursor.value!)}>
            Load more
          </button>
        )}
      </div>
    </>
  );
}
