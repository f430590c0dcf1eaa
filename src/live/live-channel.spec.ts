import { Logger } from '@nestjs/common';
import type { StreamReader } from './event-streams.service';
import { Frame } from './frames';
import { coalesceWindowMs, EventSource, LiveChannel, MAX_COALESCE_MS, Position, StoredEvent } from './live-channel';

/** A reader that keeps what it was sent, and how many writes it took. */
class FakeReader {
  closed = false;
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
  current(): Promise<Position> {
    return Promise.resolve([BigInt(this.events.length), 0n]);
  }
  add(): void {
    const n = this.events.length + 1;
    this.events.push({ position: [BigInt(n), 0n], id: String(n), type: 'comment.created', data: `{"n":${n}}` });
  }
  readAfter([after]: Position, limit: number): Promise<{ events: StoredEvent[] }> {
    return Promise.resolve({ events: this.events.slice(Number(after), Number(after) + limit) });
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

  it.each([[10], [4000]])(
    'gives each of %i readers every event, in order, none twice; a large fan-out in fewer writes than events',
    async (count) => {
      const source = new MemorySource();
      const channel = new LiveChannel(source, new Logger('test'), () => undefined);
      const readers = Array.from({ length: count }, () => new FakeReader());
      await Promise.all(readers.map((r) => channel.join(r as unknown as StreamReader)));
      for (let k = 0; k < 30; k++) {
        source.add();
        channel.wake();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await until(() => readers.every((r) => r.ids().length === 30));
      for (const reader of readers) expect(reader.ids()).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
      if (count >= 1000) expect(readers[0].writes).toBeLessThan(15);
      channel.close();
    },
  );
});
