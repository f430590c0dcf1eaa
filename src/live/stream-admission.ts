import { getHeapStatistics } from 'node:v8';

/** Why a new stream is turned away. */
export type Refusal = 'draining' | 'full' | 'memory' | 'busy';

export interface AdmissionLimits {
  /** Streams being set up at once (request, article read, catch-up): each holds far more heap than a stream at rest. */
  setupConcurrency: number;
  /** Streams waiting for a setup slot; past it, refused at once. */
  setupQueue: number;
  /** Heap in use (bytes) above which no new stream is admitted, whatever the count. */
  heapHighWater: number;
}

/** Retry-After bounds, in seconds. */
const RETRY_MIN_S = 1;
const RETRY_MAX_S = 30;
/** Memory comes back slowly (a collection, readers leaving): those refused wait longer. */
const MEMORY_RETRY_S = [5, 15] as const;
/** Setups per second assumed before any was measured. */
const SETUP_RATE_FLOOR = 200;

/**
 * Admission of new event streams, decided before anything is allocated for them: a bounded number
 * set up at a time (the rest wait in a short queue, or are refused), and none while the heap in use
 * is above its high-water mark. Refused clients are told when to come back, spread over the time
 * this instance needs to set up everyone refused lately, so that a crowd does not return at once.
 */
export class StreamAdmission {
  private settingUp = 0;
  private readonly waiting: (() => void)[] = [];
  /** Refusals and completed setups in the current and the previous second. */
  private window = { start: 0, refused: 0, setUp: 0, lastRefused: 0, lastSetUp: 0 };

  constructor(
    readonly limits: AdmissionLimits,
    /** Bytes of heap in use now. */
    readonly heapInUse: () => number = () => getHeapStatistics().used_heap_size,
  ) {}

  /** Streams in setup or waiting for it. */
  get pending(): number {
    return this.settingUp + this.waiting.length;
  }

  overHighWater(): boolean {
    return this.heapInUse() > this.limits.heapHighWater;
  }

  /**
   * A setup slot: resolves with its release once one is free, in arrival order; undefined when the
   * queue is already full (refuse at once: a waiting request holds memory too), unless `always`.
   */
  slot(always = false): Promise<() => void> | undefined {
    if (this.settingUp < this.limits.setupConcurrency) return Promise.resolve(this.take());
    if (this.waiting.length >= this.limits.setupQueue && !always) return undefined;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.take())));
  }

  /** Seconds a refused client should wait, jittered; counts the refusal. */
  retryAfter(reason: Refusal): number {
    this.tick();
    this.window.refused++;
    if (reason === 'memory')
      return MEMORY_RETRY_S[0] + Math.floor(Math.random() * (MEMORY_RETRY_S[1] - MEMORY_RETRY_S[0] + 1));
    const refused = this.window.refused + this.window.lastRefused;
    const rate = Math.max(SETUP_RATE_FLOOR, this.window.setUp + this.window.lastSetUp);
    const spread = Math.min(RETRY_MAX_S, Math.max(2, Math.ceil(refused / rate)));
    return RETRY_MIN_S + Math.floor(Math.random() * spread);
  }

  private take(): () => void {
    this.settingUp++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.settingUp--;
      this.tick();
      this.window.setUp++;
      this.waiting.shift()?.();
    };
  }

  private tick(): void {
    const now = Date.now();
    if (now - this.window.start < 1000) return;
    const recent = now - this.window.start < 2000;
    this.window = {
      start: now,
      refused: 0,
      setUp: 0,
      lastRefused: recent ? this.window.refused : 0,
      lastSetUp: recent ? this.window.setUp : 0,
    };
  }
}
