import { Position } from './position';

/** An event as a channel keeps and sends it. */
export interface StoredEvent {
  position: Position;
  /** The SSE id, which a reconnecting reader sends back as Last-Event-ID. */
  id: string;
  type: string;
  /** The payload as JSON text, straight from the database. */
  data: string;
}

/** Where a channel's events are kept: the database table that the writers fill. */
export interface EventSource {
  /** Everything up to here has committed: a new channel delivers what comes after. */
  current(): Promise<Position>;
  /**
   * Up to `limit` events after `from`, in order. `retryInMs`: later events exist that cannot be
   * delivered yet (their place in the order is not settled), so read again then.
   */
  readAfter(from: Position, limit: number): Promise<{ events: StoredEvent[]; retryInMs?: number }>;
}
