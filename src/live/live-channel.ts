import { Logger } from '@nestjs/common';
import { eventFrame, Frame } from './frames';
import { CatchUpPages } from './catch-up-pages';
import { EventSource, StoredEvent } from './event-source';
import { after, Position } from './position';

export { after, Position } from './position';
export { EventSource, StoredEvent } from './event-source';

/** A channel's reader: its socket's writes, and the channel's bookkeeping on it. */
export interface ChannelReader {
  readonly closed: boolean;
  write(frame: Frame): void;
  /** How far in its channel's log this reader has been sent. */
  sent: number;
  /** Its place in its channel's sweep. */
  slot: number;
}

const READ_LIMIT = 500;
/**
 * How long a sweep writes before letting the event loop turn: a sweep may run back to back for as
 * long as events come, and Node accepts one new connection per turn of a busy loop (seen with
 * strace: one accept4 per epoll_wait), so long slices starve a crowd reconnecting of its accepts.
 */
const SLICE_MS = 2;
/** Writes between two looks at the clock. */
const WRITES_PER_CLOCK = 16;
/** From this many readers on, a channel's reads are coalesced: those within a window go out together. */
const COALESCE_FROM = 1000;
/** The window grows with the fan-out by 1 ms per this many readers (19,000 readers: 48 ms)... */
const READERS_PER_WINDOW_MS = 400;
/** ...up to this bound, the most an event waits for others to join it. */
export const MAX_COALESCE_MS = 50;

/**
 * How long after a read a channel with `readers` waits before the next one, so that the events of
 * that window share one write to each socket: the kernel's cost per write (5 to 15 µs), not the
 * bytes, is what a large fan-out pays.
 */
export const coalesceWindowMs = (readers: number): number =>
  readers < COALESCE_FROM ? 0 : Math.min(MAX_COALESCE_MS, Math.ceil(readers / READERS_PER_WINDOW_MS));

/** Recent events kept in memory, so that readers who reconnect after a short gap need no read. */
const RECENT_EVENTS = 256;

/**
 * The readers of one stream on this instance (a thread, or the moderation stream). Per event, the
 * work is done once: one database read for all of them, one serialization, and the same bytes
 * written to every socket.
 *
 * Events go into a log, numbered; each reader knows how far in it it has been sent. A sweep goes
 * over the readers, a slice at a time, and writes to each, in one write, everything it has not been
 * sent yet, events read while the sweep runs included: an event waits at most one sweep (one write
 * per socket), never for a round being written and then its own. A reader joins, caught up, in one
 * synchronous step between two slices, so it misses nothing and gets nothing twice. Catch-ups from
 * further back than the log are read from the table outside the channel's order, a page shared by
 * every reader resuming from the same place.
 */
export class LiveChannel {
  /** The readers in sweep order; a reader that left leaves a hole until the next compaction. */
  private members: (ChannelReader | undefined)[] = [];
  private holes = 0;
  private count = 0;
  private cursor?: Position;
  /** Events in memory, numbered from `logStart`: the recent ones, and any a sweep has yet to deliver. */
  private log: { position: Position; frame: Frame }[] = [];
  private logStart = 0;
  /** Every event after this position is in `log`. */
  private recentFrom?: Position;
  /** Every reader has been sent the log up to here. */
  private floor = 0;
  private sweeping = false;
  /** The log's frames from a number to its end, joined once for every reader that needs them. */
  private tails = new Map<number, Frame>();
  private tailsEnd = 0;
  private readonly pages: CatchUpPages;
  /** Reads (of new events) run one at a time. */
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
  ) {
    this.pages = new CatchUpPages(source, toFrame);
  }

  get readers(): number {
    return this.count;
  }

  /** Sends what the reader missed after `lastEventId` (nothing without one), then every new event. */
  async join(reader: ChannelReader, lastEventId?: Position): Promise<void> {
    this.joining++;
    try {
      await this.ready();
      let from = lastEventId && after(this.cursor!, lastEventId) ? lastEventId : undefined;
      // From further back than the log: from the table, outside the order, with everyone resuming
      // from there, a page at a time; of each, what the channel has already passed.
      while (from && after(this.cursor!, from) && !this.inLog(from)) {
        let page = await this.pages.after(from);
        // A shared read may have been made before the events the channel has since read committed.
        if (page.empty && after(this.cursor!, from)) page = await this.pages.after(from, true);
        if (reader.closed || page.empty) break; // nothing more in the table (kept a day): what there is
        const frame = page.upTo(this.cursor!);
        if (frame) reader.write(frame);
        from = page.last;
      }
      if (reader.closed) return;
      // From here to the end, nothing waits: no event can come between the catch-up and the live ones.
      if (from && after(this.cursor!, from) && this.inLog(from)) reader.write(this.tail(this.firstAfter(from)));
      const greeting = this.greeting?.();
      if (greeting) reader.write(greeting);
      if (!reader.closed) this.add(reader);
    } finally {
      this.joining--;
    }
  }

  /**
   * Settles where "from now on" starts, before a new reader's headers are sent: whatever commits
   * once the reader sees them reaches it.
   */
  ready(): Promise<void> {
    return this.cursor ? Promise.resolve() : this.enqueue(() => this.start());
  }

  leave(reader: ChannelReader): void {
    if (this.members[reader.slot] !== reader) return;
    this.members[reader.slot] = undefined;
    reader.slot = -1;
    this.count--;
    this.holes++;
    if (!this.sweeping) this.compactIfSparse();
  }

  /** No reader, and none about to join: the channel can be dropped. */
  get idle(): boolean {
    return this.count === 0 && this.joining === 0;
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
    const wait = this.lastRead + coalesceWindowMs(this.count) - Date.now();
    if (wait > 0) setTimeout(read, wait).unref();
    else read();
  }

  /** Writes to every reader as it is (a snapshot that takes no place in the order). */
  broadcast(frame: Frame): void {
    for (const reader of this.members) reader?.write(frame);
    this.onSent(this.count, 1);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  private get end(): number {
    return this.logStart + this.log.length;
  }

  private add(reader: ChannelReader): void {
    reader.sent = this.end;
    reader.slot = this.members.length;
    this.members.push(reader);
    this.count++;
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
        for (const e of events) this.log.push({ position: e.position, frame: toFrame(e) });
        this.cursor = events[events.length - 1].position;
        if (!this.sweeping) void this.sweep();
      }
      if (retryInMs !== undefined && !this.closed) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.wake(), retryInMs);
        this.retryTimer.unref();
      }
      if (events.length < READ_LIMIT) return;
    }
  }

  /**
   * Writes to every reader what it has not been sent, a slice at a time so that other requests are
   * served meanwhile, and again while events came during the sweep.
   */
  private async sweep(): Promise<void> {
    this.sweeping = true;
    try {
      while (this.floor < this.end) {
        const startedAt = this.end;
        let writes = 0;
        let events = 0;
        let sliceStart = performance.now();
        for (let i = 0; i < this.members.length; i++) {
          const reader = this.members[i];
          if (!reader || reader.sent >= this.end) continue;
          const frame = this.tail(reader.sent);
          events += this.end - reader.sent;
          reader.sent = this.end;
          reader.write(frame);
          if (++writes % WRITES_PER_CLOCK === 0 && performance.now() - sliceStart >= SLICE_MS) {
            this.onSent(1, events);
            events = 0;
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
          }
        }
        this.onSent(1, events);
        this.floor = startedAt;
        this.trimLog();
        this.compactIfSparse();
      }
    } finally {
      this.sweeping = false;
    }
  }

  /** The log's frames from number `from` to its end, as one frame. */
  private tail(from: number): Frame {
    if (this.tailsEnd !== this.end) {
      this.tails.clear();
      this.tailsEnd = this.end;
    }
    let frame = this.tails.get(from);
    if (!frame) {
      frame = Frame.join(this.log.slice(from - this.logStart).map((e) => e.frame));
      this.tails.set(from, frame);
    }
    return frame;
  }

  private inLog(position: Position): boolean {
    return this.recentFrom !== undefined && !after(this.recentFrom, position);
  }

  /** The number of the first event in the log after `position` (which the log covers). */
  private firstAfter(position: Position): number {
    let i = this.log.length;
    while (i > 0 && after(this.log[i - 1].position, position)) i--;
    return this.logStart + i;
  }

  /** Keeps the recent events, and whatever some reader has not been sent yet. */
  private trimLog(): void {
    while (this.log.length > RECENT_EVENTS && this.logStart < this.floor) {
      this.recentFrom = this.log.shift()!.position;
      this.logStart++;
    }
  }

  private compactIfSparse(): void {
    if (this.holes < 64 || this.holes * 4 < this.members.length) return;
    const members: ChannelReader[] = [];
    for (const reader of this.members) if (reader) ((reader.slot = members.length), members.push(reader));
    this.members = members;
    this.holes = 0;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch((error: Error) => this.logger.warn(`live events: ${error.message}`));
    return run;
  }
}

const toFrame = (e: StoredEvent): Frame => eventFrame(e.id, e.type, e.data);
