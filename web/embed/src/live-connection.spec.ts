import { LiveConnection } from './live-connection';
import type { LiveEvent } from './thread-state';

/** The browser's EventSource as the connection sees it: opened, failing, closed, sending events. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static made: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((event: { data: string }) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }

  addEventListener(type: string, listener: (event: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }

  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.();
  }

  send(type: string, data: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

describe('the live connection', () => {
  let polls: number;
  let events: LiveEvent[];
  let attached: boolean;

  const connection = () =>
    new LiveConnection({
      url: 'https://api.example/api/articles/a/comments/stream',
      pollMs: () => 15_000,
      attached: () => attached,
      onEvent: (event) => events.push(event),
      poll: () => polls++,
    });
  const last = () => FakeEventSource.made[FakeEventSource.made.length - 1];

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0.5); // the retry's jitter: none
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    FakeEventSource.made = [];
    polls = 0;
    events = [];
    attached = true;
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
    delete (globalThis as { EventSource?: unknown }).EventSource;
  });

  it('opens the stream once, reads what it missed when it opens, and passes its events on', () => {
    const live = connection();
    live.connect();
    live.connect();
    expect(FakeEventSource.made).toHaveLength(1);
    expect(last().url).toBe('https://api.example/api/articles/a/comments/stream');
    expect(live.streaming).toBe(true);
    last().open();
    expect(polls).toBe(1);
    last().send('comment.created', '{"id":"c1"}');
    last().send('comment.deleted', 'not json');
    last().send('article.updated', '{"id":"a","closed":true}');
    expect(events).toEqual([
      { type: 'comment.created', data: { id: 'c1' } },
      { type: 'article.updated', data: { id: 'a', closed: true } },
    ]);
  });

  it('leaves reconnecting to the browser (with Last-Event-ID) when the server ends the stream', () => {
    const live = connection();
    live.connect();
    last().open();
    last().fail(FakeEventSource.CONNECTING);
    last().send('comment.edited', '{"id":"c1"}'); // an event in between: the stream works again
    last().fail(FakeEventSource.CONNECTING);
    last().fail(FakeEventSource.CONNECTING);
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.made).toHaveLength(1);
    expect(last().readyState).toBe(FakeEventSource.CONNECTING);
    expect(polls).toBe(1);
  });

  it('polls when the stream keeps failing, and tries it again later', () => {
    const live = connection();
    live.connect();
    for (let i = 0; i < 3; i++) last().fail(FakeEventSource.CONNECTING);
    expect(last().readyState).toBe(FakeEventSource.CLOSED);
    expect(live.streaming).toBe(false);
    jest.advanceTimersByTime(29_999);
    expect(polls).toBe(1); // every 15 s
    expect(FakeEventSource.made).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(FakeEventSource.made).toHaveLength(2);
    const before = polls;
    last().open();
    jest.advanceTimersByTime(60_000);
    expect(polls).toBe(before + 1); // the one read on opening; polling stopped
  });

  it('polls at once when the stream is refused, and waits longer each time it is refused again', () => {
    const live = connection();
    live.connect();
    last().fail(FakeEventSource.CLOSED); // 503 at capacity
    jest.advanceTimersByTime(30_000);
    expect(FakeEventSource.made).toHaveLength(2);
    last().fail(FakeEventSource.CLOSED);
    jest.advanceTimersByTime(59_999);
    expect(FakeEventSource.made).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(FakeEventSource.made).toHaveLength(3);
    expect(polls).toBe(6); // 90 s of polling every 15 s
  });

  it('stops everything when the element leaves the page, and does not connect while it is away', () => {
    const live = connection();
    live.connect();
    last().fail(FakeEventSource.CLOSED);
    live.stop();
    jest.advanceTimersByTime(600_000);
    expect(polls).toBe(0);
    expect(FakeEventSource.made).toHaveLength(1);
    attached = false;
    live.connect();
    expect(FakeEventSource.made).toHaveLength(1);
  });

  it('polls where there is no EventSource', () => {
    delete (globalThis as { EventSource?: unknown }).EventSource;
    const live = connection();
    live.connect();
    jest.advanceTimersByTime(45_000);
    expect(polls).toBe(3);
    expect(live.streaming).toBe(false);
  });
});
