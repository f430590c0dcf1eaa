import { fetchEventSource } from '@microsoft/fetch-event-source';
import { effect, signal } from '@preact/signals';
import type { LogEntry } from './client';
import { signedInAs, token, tokenRefused } from '../session';
import { identitySite, streamSite } from '../site-choice';

export const QUEUES = ['pending', 'reported', 'unmoderated', 'approved', 'rejected'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Every queue's size, as the moderators' stream last said it (null until it has). */
export const queueCounts = signal<Record<QueueName, number> | null>(null);
/** Whether the live stream is connected. */
export const live = signal(false);

export interface ReportedEvent {
  id: string;
  commentId: string;
  articleId: string;
  reason: string;
  openReportCount: number;
}

export type ModerationEvent =
  { type: 'decision' | 'comment.held'; data: LogEntry } | { type: 'comment.reported'; data: ReportedEvent };

const listeners = new Set<(event: ModerationEvent) => void>();

/** Calls `listener` with every decision, held comment and report from now on; returns how to stop. */
export function onModerationEvent(listener: (event: ModerationEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

class Refused extends Error {}

/** The instance turned the stream away for now (503): come back after its Retry-After. */
class ComeBackLater extends Error {
  constructor(readonly afterMs: number) {
    super('stream: HTTP 503');
  }
}

/**
 * Follows GET /api/moderation/stream with fetch (an EventSource cannot send the Authorization
 * header, and tokens never go in URLs). fetch-event-source reconnects with Last-Event-ID, so no
 * event is missed across a drop; another person or site starts a new stream.
 */
export function followModerationStream(): () => void {
  let controller: AbortController | undefined;
  const stop = effect(() => {
    controller?.abort();
    controller = undefined;
    live.value = false;
    // (Not for a renewed token: each reconnection sends the token of the moment.)
    if (!signedInAs.value || tokenRefused.value) return;
    // Read here, so that switching site starts the stream of the new one (or of all).
    const site = streamSite.value;
    const headers: Record<string, string> = identitySite.value ? { 'Comment-Desk-Site': identitySite.value } : {};
    const url = `/api/moderation/stream${site ? `?site=${encodeURIComponent(site)}` : ''}`;
    queueCounts.value = null;
    const abort = (controller = new AbortController());
    void fetchEventSource(url, {
      headers,
      // The token as it is when the stream (re)connects: renewed ones included.
      fetch: (input, init) => {
        const withToken = new Headers(init?.headers);
        withToken.set('Authorization', `Bearer ${token.peek()}`);
        return fetch(input, { ...init, headers: withToken });
      },
      signal: abort.signal,
      openWhenHidden: true,
      async onopen(response) {
        if (response.ok) {
          live.value = true;
          return;
        }
        if (response.status === 401) tokenRefused.value = true;
        if (response.status === 401 || response.status === 403) throw new Refused();
        const retryAfter = Number(response.headers.get('Retry-After'));
        if (response.status === 503 && retryAfter > 0) throw new ComeBackLater(retryAfter * 1000);
        throw new Error(`stream: HTTP ${response.status}`); // others: retried
      },
      onmessage(message) {
        if (!message.event || !message.data) return;
        const data = JSON.parse(message.data);
        if (message.event === 'queue.counts') queueCounts.value = data;
        else for (const listener of listeners) listener({ type: message.event, data } as ModerationEvent);
      },
      onclose() {
        live.value = false;
        throw new Error('stream ended'); // draining instance: reconnect (elsewhere)
      },
      onerror(error) {
        live.value = false;
        if (error instanceof Refused) throw error; // stop: a new token starts a new stream
        if (error instanceof ComeBackLater) return error.afterMs; // the service spread it already
        return 1000 + Math.random() * 2000;
      },
    }).catch(() => {});
  });
  return () => {
    stop();
    controller?.abort();
  };
}
