import { Frame } from './frames';
import type { EventSource, StoredEvent } from './event-source';
import { after, Position, positionKey } from './position';

/** Events read at once for a catch-up. */
export const PAGE_EVENTS = 500;
/** A page read for one reader serves those resuming from the same place this long after. */
const PAGE_TTL_MS = 10_000;
/** Pages kept at most (about 150 KiB each, out of the heap), the oldest let go first. */
const MAX_PAGES = 32;

/** Events read from the table for readers back from further than the channel keeps: their bytes once, joined. */
export class CatchUpPage {
  private readonly parts = new Map<number, Frame>();

  constructor(
    private readonly positions: Position[],
    /** Where each event's bytes end in `frame`. */
    private readonly ends: number[],
    private readonly frame: Frame | undefined,
  ) {}

  static of(events: StoredEvent[], toFrame: (e: StoredEvent) => Frame): CatchUpPage {
    const frames = events.map(toFrame);
    let end = 0;
    const ends = frames.map((f) => (end += f.bytes.length));
    return new CatchUpPage(
      events.map((e) => e.position),
      ends,
      frames.length > 0 ? Frame.join(frames) : undefined,
    );
  }

  get empty(): boolean {
    return this.positions.length === 0;
  }

  get last(): Position {
    return this.positions[this.positions.length - 1];
  }

  /** Its events up to `cursor` (those after are the channel's to send), sharing the page's bytes. */
  upTo(cursor: Position): Frame | undefined {
    let n = this.positions.length;
    while (n > 0 && after(this.positions[n - 1], cursor)) n--;
    if (n === this.positions.length) return this.frame;
    if (n === 0) return undefined;
    let part = this.parts.get(n);
    if (!part) {
      part = new Frame(this.frame!.bytes.subarray(0, this.ends[n - 1]));
      this.parts.set(n, part);
    }
    return part;
  }
}

/**
 * The reads of one channel's catch-ups: a crowd resuming from the same place (the readers of a
 * drained instance, say) shares each page, read once, outside the channel's order, so that live
 * delivery never waits for it.
 */
export class CatchUpPages {
  private readonly pages = new Map<string, { at: number; page: Promise<CatchUpPage> }>();

  constructor(
    private readonly source: EventSource,
    private readonly toFrame: (e: StoredEvent) => Frame,
  ) {}

  /** The events after `from`, up to a page of them; `fresh`: read now, not shared with an earlier read. */
  after(from: Position, fresh = false): Promise<CatchUpPage> {
    const now = Date.now();
    for (const [key, { at }] of this.pages) {
      if (now - at <= PAGE_TTL_MS && this.pages.size < MAX_PAGES) break;
      this.pages.delete(key); // the oldest first: the map keeps the order they were read in
    }
    const key = positionKey(from);
    let entry = this.pages.get(key);
    if (!entry || fresh) {
      const page = this.source.readAfter(from, PAGE_EVENTS).then(({ events }) => CatchUpPage.of(events, this.toFrame));
      entry = { at: now, page };
      this.pages.set(key, entry);
      const forget = () => this.pages.get(key) === entry && this.pages.delete(key);
      // An empty page is no answer for later readers: events may commit after it.
      page.then((p) => p.empty && forget(), forget);
    }
    return entry.page;
  }
}
