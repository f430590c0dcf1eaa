import type { LiveEvent } from './thread-state';

const EVENTS: LiveEvent['type'][] = [
  'comment.created',
  'comment.edited',
  'comment.published',
  'comment.hidden',
  'comment.deleted',
  'article.updated',
];
const ERRORS_BEFORE_POLLING = 3;
const RETRY_MS = [30_000, 60_000, 120_000, 300_000];

export interface LiveOptions {
  /** The thread's event stream. */
  url: string;
  /** How often to poll while the stream is out of reach. */
  pollMs: () => number;
  /** Whether the element is on the page: a detached one does not connect. */
  attached: () => boolean;
  onEvent: (event: LiveEvent) => void;
  /** Reads what changed since the last read (the first page, revalidated with its ETag). */
  poll: () => void;
}

/**
 * The thread's event stream; when it is refused or keeps failing, polling until it can be tried
 * again. When the server ends the stream, the browser reconnects by itself with Last-Event-ID,
 * and the server sends what was missed.
 */
export class LiveConnection {
  private source?: EventSource;
  private errors = 0;
  private retries = 0;
  private pollTimer?: ReturnType<typeof setInterval>;
  private retryTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: LiveOptions) {}

  /** Whether a stream is open or opening: its events count the thread's comments. */
  get streaming(): boolean {
    return !!this.source;
  }

  connect(): void {
    if (this.source || !this.options.attached()) return;
    clearTimeout(this.retryTimer);
    if (typeof EventSource === 'undefined') return this.startPolling();
    const source = new EventSource(this.options.url);
    this.source = source;
    source.onopen = () => {
      this.errors = 0;
      this.retries = 0;
      // Whatever happened between the last read (the first page, or the last poll) and this
      // stream: one revalidation, 304 when nothing did.
      this.stopPolling();
      this.options.poll();
    };
    source.onerror = () => {
      // CONNECTING: the browser reconnects by itself with Last-Event-ID (the server ended the
      // stream). CLOSED: it was refused (503 at capacity, 404): poll, and try again later.
      if (source.readyState === EventSource.CLOSED || ++this.errors >= ERRORS_BEFORE_POLLING) {
        source.close();
        if (this.source === source) this.source = undefined;
        this.errors = 0;
        this.startPolling();
        const delay = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)];
        this.retryTimer = setTimeout(() => this.connect(), delay * (0.75 + Math.random() / 2));
      }
    };
    for (const type of EVENTS)
      source.addEventListener(type, (event) => {
        this.errors = 0;
        try {
          this.options.onEvent({ type, data: JSON.parse((event as MessageEvent).data) } as LiveEvent);
        } catch {
          // a malformed event is skipped; the next poll or page read puts things right
        }
      });
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.retryTimer);
    this.stopPolling();
  }

  private startPolling(): void {
    if (!this.pollTimer) this.pollTimer = setInterval(this.options.poll, this.options.pollMs());
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }
}
