/**
 * Work an instance does again and again (a relay, a sweep): the next run is scheduled when one
 * ends, so two never overlap; `next` says how long to wait after a run (with its result), or after
 * a failure (with the error, for the caller to log). stop() waits for a run under way.
 */
export class Repeating<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly next: { after(result: T): number; afterError(error: Error): number },
  ) {}

  start(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run().then(
        (result) => this.start(this.next.after(result)),
        (error: Error) => this.start(this.next.afterError(error)),
      );
    }, delay);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
