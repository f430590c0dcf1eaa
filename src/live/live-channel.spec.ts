import { Logger } from '@nestjs/common';
import { Frame } from './frames';
import { coalesceWindowMs, EventSource, LiveChannel, MAX_COALESCE_MS, Position, StoredEvent } from './live-channel';

/** A reader that keeps what it was sent, and how many writes it took. */
class FakeReader {
  closed = false;
  sent = 0;
  slot = -1;
  writes = 0;
  text = '';
  write(frame: Frame): void {
    this.writes++;
    this.text += frame.bytes.toString();
  }
  ids(): number[] {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

/** A thread's events kept in memory, as the table keeps them. */
class MemorySource implements EventSource {
  readonly events: StoredEvent[] = [];
  /** The positions read after, in the order asked. */
  readonly reads: number[] = [];
  /** While set, reads from before this position wait for `release`. */
  holdBefore = 0;
  private held: (() => void)[] = [];
  current(): Promise<Position> {
    return Promise.resolve([BigInt(this.events.length), 0n]);
  }
  add(): void {
    const n = this.events.length + 1;
    this.events.push({ position: [BigInt(n), 0n], id: String(n), type: 'comment.created', data: `{"n":${n}}` });
  }
  async readAfter([after]: Position, limit: number): Promise<{ events: StoredEvent[] }> {
    this.reads.push(Number(after));
    if (Number(after) < this.holdBefore) await new Promise<void>((resolve) => this.held.push(resolve));
    return { events: this.events.slice(Number(after), Number(after) + limit) };
  }
  release(): void {
    this.holdBefore = 0;
    this.held.splice(0).forEach((resolve) => resolve());
  }
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not within the deadline');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('LiveChannel', () => {
  it('coalesces only a large fan-out, within a window that grows with it up to its bound', () => {
    expect(coalesceWindowMs(1)).toBe(0);
    expect(coalesceWindowMs(999)).toBe(0);
    expect(coalesceWindowMs(4000)).toBe(10);
    expect(coalesceWindowMs(19_000)).toBe(48);
    expect(coalesceWindowMs(1_000_000)).toBe(MAX_COALESCE_MS);
  });

  it.each([[10], [4000]])('gives each of %i readers every event, in order, none twice', async (count) => {
    const source = new MemorySource();
    const channel = new LiveChannel(source, new Logger('test'), () => undefined);
    const readers = Array.from({ length: count }, () => new FakeReader());
    await Promise.all(readers.map((r) => channel.join(r)));
    for (let k = 0; k < 30; k++) {
      source.add();
      channel.wake();
      // Faster than the window, whatever the timers' granularity on a loaded machine.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => readers.every((r) => r.ids().length === 30));
    for (const reader of readers) expect(reader.ids()).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    channel.close();
  });

  it('sends a large fan-out the events that came during a read in one write per reader', async () => {
    const source = new MemorySource();
    const channel = new LiveChannel(source, new Logger('test'), () => undefined);
    const readers = Array.from({ length: 4000 }, () => new FakeReader());
    await Promise.all(readers.map((r) => channel.join(r)));
    source.holdBefore = 1; // the first read waits, as one would on a busy database
    source.add();
    channel.wake();
    await until(() => source.reads.length > 0);
    for (let k = 1; k < 30; k++) {
      source.add();
      channel.wake();
    }
    source.release();
    await until(() => readers.every((r) => r.ids().length === 30));
    for (const reader of readers) expect(reader.ids()).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    expect(readers.map((r) => r.writes)).toEqual(readers.map(() => 1));
    channel.close();
  });

  it('catches up many readers resuming from the same place older than it keeps in one shared read, outside its order: each gets every event once, in order, and live readers are not held back', async () => {
    const source = new MemorySource();
    const channel = new LiveChannel(source, new Logger('test'), () => undefined);
    const live = new FakeReader();
    await channel.join(live);
    const post = async (count: number) => {
      for (let k = 0; k < count; k++) source.add();
      channel.wake();
      await until(() => live.ids().length === source.events.length);
    };
    await post(300); // more than a channel keeps in memory
    source.holdBefore = 300;
    const resuming = Array.from({ length: 50 }, () => new FakeReader());
    const joined = Promise.all(resuming.map((r) => channel.join(r, [10n, 0n])));
    // While their catch-up waits for the table, new events still reach the live reader.
    await post(5);
    expect(resuming.every((r) => r.writes === 0)).toBe(true);
    source.release();
    await joined;
    await post(5);
    const expected = Array.from({ length: 300 }, (_, k) => k + 11);
    for (const reader of resuming) expect(reader.ids()).toEqual(expected);
    expect(source.reads.filter((from) => from === 10)).toHaveLength(1);
    expect(live.ids()).toEqual(Array.from({ length: 310 }, (_, k) => k + 1));
    channel.close();
  });

  it('joins a reader resuming from within what it keeps to the live events without a gap or a repeat, during a sweep', async () => {
    const source = new MemorySource();
    const channel = new LiveChannel(source, new Logger('test'), () => undefined);
    const crowd = Array.from({ length: 5000 }, () => new FakeReader());
    await Promise.all(crowd.map((r) => channel.join(r)));
    const late: FakeReader[] = [];
    for (let k = 0; k < 40; k++) {
      source.add();
      channel.wake();
      // Readers join from wherever the crowd's first reader has got to, while the sweeps go on.
      const from = crowd[0].ids().at(-1) ?? 0;
      const reader = new FakeReader();
      late.push(reader);
      void channel.join(reader, from > 0 ? [BigInt(from), 0n] : undefined);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => [...crowd, ...late].every((r) => r.ids().at(-1) === 40));
    for (const reader of crowd) expect(reader.ids()).toEqual(Array.from({ length: 40 }, (_, k) => k + 1));
    for (const reader of late) {
      const ids = reader.ids();
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => 41 - ids.length + k));
    }
    channel.close();
  });
});
