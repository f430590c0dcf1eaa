type Waiter<T> = { resolve: (answer: T | undefined) => void; reject: (error: unknown) => void };

/**
 * Answers many concurrent requests by key with one statement per batch. A request joins the next
 * batch to be sent, never one already in flight, so every answer was read (or written) after it
 * was asked for: a change committed before a request arrived is always seen. With a hot article
 * read by hundreds of requests a second, this is one query per round trip instead of one per
 * request.
 *
 * `fetch` gets each key with the number of requests waiting on it, and gives back the answers
 * per key: one for each waiter in the order they came, or a single one for all of them.
 */
export class BatchedLookup<T> {
  private waiting = new Map<string, Waiter<T>[]>();
  private busy = false;

  constructor(
    private readonly fetch: (batch: Map<string, number>) => Promise<Map<string, T[]>>,
    private readonly maxKeys = 500,
  ) {}

  get(key: string): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.busy) {
        this.busy = true;
        // After the other requests that arrived in this turn of the event loop, which join it.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = new Map<string, Waiter<T>[]>();
    for (const [key, waiters] of this.waiting) {
      if (batch.size === this.maxKeys) break;
      batch.set(key, waiters);
      this.waiting.delete(key);
    }
    try {
      const answers = await this.fetch(new Map([...batch].map(([key, waiters]) => [key, waiters.length])));
      for (const [key, waiters] of batch) {
        const mine = answers.get(key) ?? [];
        waiters.forEach((w, i) => w.resolve(mine[Math.min(i, mine.length - 1)]));
      }
    } catch (error) {
      for (const waiters of batch.values()) waiters.forEach((w) => w.reject(error));
    }
    if (this.waiting.size > 0) void this.flush();
    else this.busy = false;
  }
}
