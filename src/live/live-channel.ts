import { Logger } from '@nestjs/common';
import { eventFrame, Frame } from './frames';
import type { StreamReader } from './event-streams.service';

/** Where an event stands in its channel's order: a thread's version, or a transaction and a sequence. */
export type Position = readonly [bigint, bigint];

export const after = (a: Position, b: Position): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export interface StoredEvent {
  position: Position;
  /** The SSE id, which a reconnecting reader sends back as Last-Event-ID. */
  id: string;
  type: string;
  /** The payload as JSON text, straight from the database. */
  data: string;
}

/** Where a channel's events are kept: the database table that the writers fill. */
export interface EventSource {
  /** Everything up to here has committed: a new channel delivers what comes after. */
  current(): Promise<Position>;
  /**
   * Up to `limit` events after `from`, in order. `retryInMs`: later events exist that cannot be
   * delivered yet (their place in the order is not settled), so read again then.
   */
  readAfter(from: Position, limit: number): Promise<{ events: StoredEvent[]; retryInMs?: number }>;
}

const READ_LIMIT = 500;
/** Sockets written to before letting the event loop serve other requests. */
const SLICE = 1000;
/** From this many readers on, a channel's events are coalesced: those within a window go out as one write per socket. */
const COALESCE_FROM = 1000;
/** The window grows with the fan-out by 1 ms per this many readers (19,000 readers: 48 ms)... */
const READERS_PER_WINDOW_MS = 400;
/** ...up to this bound, the most an event waits for others to join it. */
export const MAX_COALESCE_MS = 50;

/**
 * How long after a read a channel with `readers` waits before the next one, so that the events of
 * that window share one write to each socket: the kernel's cost per write (5 to 15 µs), not the
 * bytes, is what a large fan-out pays. Events that come while a round is being written wait for it
 * anyway, and go out together after it.
 */
export const coalesceWindowMs = (readers: number): number =>
  readers < COALESCE_FROM ? 0 : Math.min(MAX_COALESCE_MS, Math.ceil(readers / READERS_PER_WINDOW_MS));

/** Recent events kept in memory, so that readers who reconnect after a short gap need no read. */
const RECENT_EVENTS = 256;

/**
 * The readers of one stream on this instance (a thread, or the moderation stream). Per event, the
 * work is done once: one database read for all of them, one serialization, and the same bytes
 * written to every socket. Reads, catch-ups and joins run one at a time, so a reader that joins
 * between two reads misses nothing and gets nothing twice.
 */
export class LiveChannel {
  readonly readers = new Set<StreamReader>();
  private cursor?: Position;
  private readonly recent: { position: Position; frame: Frame }[] = [];
  /** Every event after this position is in `recent`. */
  private recentFrom?: Position;
  private queue: Promise<void> = Promise.resolve();
  private wakePending = false;
  private joining = 0;
  private lastRead = 0;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly source: EventSource,
    private readonly logger: Logger,
    /** Told how many events a write carried to how many readers. */
    private readonly onSent: (readers: number, events: number) => void,
    /** Sent to each reader once it has caught up, before any new event (a snapshot, such as queue sizes). */
    private readonly greeting?: () => Frame | undefined,
  ) {}

  /** Sends what the reader missed after `lastEventId` (nothing without one), then every new event. */
  join(reader: StreamReader, lastEventId?: Position): Promise<void> {
    this.joining++;
    return this.enqueue(async () => {
      await this.start();
      if (reader.closed) return;
      if (lastEventId && after(this.cursor!, lastEventId)) {
        const missed =
          this.recentFrom && !after(this.recentFrom, lastEventId)
            ? this.recent.filter((e) => after(e.position, lastEventId)).map((e) => e.frame)
            : await this.readMissed(lastEventId);
        if (missed.length > 0) reader.write(Frame.join(missed));
      }
      const greeting = this.greeting?.();
      if (greeting) reader.write(greeting);
      if (!reader.closed) this.readers.add(reader);
    }).finally(() => this.joining--);
  }

  /**
   * Settles where "from now on" starts, before a new reader's headers are sent: whatever commits
   * once the reader sees them reaches it.
   */
  ready(): Promise<void> {
    return this.cursor ? Promise.resolve() : this.enqueue(() => this.start());
  }

  leave(reader: StreamReader): void {
    this.readers.delete(reader);
  }

  /** No reader, and none about to join: the channel can be dropped. */
  get idle(): boolean {
    return this.readers.size === 0 && this.joining === 0;
  }

  /** Something was committed: read it once for every reader. Wakes that come during a read cause one more. */
  wake(): void {
    if (this.wakePending || this.closed) return;
    this.wakePending = true;
    const read = () =>
      void this.enqueue(async () => {
        this.wakePending = false;
        this.lastRead = Date.now();
        await this.readNew();
      });
    const wait = this.lastRead + coalesceWindowMs(this.readers.size) - Date.now();
    if (wait > 0) setTimeout(read, wait).unref();
    else read();
  }

  /** Writes to every reader as it is (a snapshot that takes no place in the order). */
  broadcast(frame: Frame): void {
    for (const reader of this.readers) reader.write(frame);
    this.onSent(this.readers.size, 1);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  private async start(): Promise<void> {
    if (this.cursor) return;
    this.cursor = await this.source.current();
    this.recentFrom = this.cursor;
  }

  private async readNew(): Promise<void> {
    if (!this.cursor) return this.start();
    for (;;) {
      const { events, retryInMs } = await this.source.readAfter(this.cursor, READ_LIMIT);
      if (events.length > 0) {
        const frames = events.map((e) => this.remember(e));
        this.cursor = events[events.length - 1].position;
        await this.send(Frame.join(frames));
        this.onSent(this.readers.size, events.length);
      }
      if (retryInMs !== undefined && !this.closed) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.wake(), retryInMs);
        this.retryTimer.unref();
      }
      if (events.length < READ_LIMIT) return;
    }
  }

  /** Writes to every reader, a slice at a time, so that other requests are served meanwhile. */
  private async send(frame: Frame): Promise<void> {
    let written = 0;
    for (const reader of this.readers) {
      reader.write(frame);
      if (++written % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The events after `from` up to the cursor, from the database (a reader back after a long gap). */
  private async readMissed(from: Position): Promise<Frame[]> {
    const frames: Frame[] = [];
    let position = from;
    for (;;) {
      const { events } = await this.source.readAfter(position, READ_LIMIT);
      const upToCursor = events.filter((e) => !after(e.position, this.cursor!));
      frames.push(...upToCursor.map(toFrame));
      if (upToCursor.length < READ_LIMIT) return frames;
      position = upToCursor[upToCursor.length - 1].position;
    }
  }

  private remember(event: StoredEvent): Frame {
    const frame = toFrame(event);
    this.recent.push({ position: event.position, frame });
    if (this.recent.length > RECENT_EVENTS) this.recentFrom = this.recent.shift()!.position;
    return frame;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch((error: Error) => this.logger.warn(`live events: ${error.message}`));
    return run;
  }
}

const toFrame = (e: StoredEvent): Frame => eventFrame(e.id, e.type, e.data);
