/**
 * Looks rows up by key for many concurrent requests with one statement per batch. A request
 * joins the next batch to be sent, never one already in flight, so every answer was read after
 * it was asked for: a change committed before a request arrived is always seen. With a hot
 * article read by hundreds of requests a second, this is one primary-key query per round trip
 * instead of one per request.
 */
export class BatchedLookup<T> {
  private waiting = new Map<string, { resolve: (row: T | undefined) => void; reject: (error: unknown) => void }[]>();
  private busy = false;

  constructor(
    private readonly fetch: (keys: string[]) => Promise<Map<string, T>>,
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
    const batch = new Map<string, { resolve: (row: T | undefined) => void; reject: (error: unknown) => void }[]>();
    for (const [key, waiters] of this.waiting) {
      if (batch.size === this.maxKeys) break;
      batch.set(key, waiters);
      this.waiting.delete(key);
    }
    try {
      const rows = await this.fetch([...batch.keys()]);
      for (const [key, waiters] of batch) waiters.forEach((w) => w.resolve(rows.get(key)));
    } catch (error) {
      for (const waiters of batch.values()) waiters.forEach((w) => w.reject(error));
    }
    if (this.waiting.size > 0) void this.flush();
    else this.busy = false;
  }
}
