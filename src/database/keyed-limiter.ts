/**
 * At most `limit` tasks at once per key; the rest wait in memory, in order. Used so that the
 * writers of one busy article queue here, holding nothing, instead of holding pooled connections
 * while they wait for its row lock, which would starve every other request of the instance.
 */
export class KeyedLimiter {
  private readonly slots = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { running: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.running < this.limit) slot.running++;
    else await new Promise<void>((resolve) => slot!.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = slot.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next in line
      else if (--slot.running === 0) this.slots.delete(key);
    }
  }
}
