import { signal } from '@preact/signals';
import { ApiError, api, call, onSite, type Comment, type LogEntry, type QueueItem } from './api/client';
import { siteOfItem } from './api/sites';
import { ACTION_LABEL, statusWord } from './words';
import { claims } from './session';

export type Action = 'approve' | 'reject';
/** What a rejection says: a label of the site's list (shown to the author) and a note for the log. */
export type Why = { reason?: string; reasonLabel?: string };

/**
 * What this moderator decided last: `u` takes it back, whether or not its answer is back (the undo
 * then waits for it).
 */
export interface Decided {
  item: QueueItem;
  action: Action;
  fromStatus: Comment['status'];
  /** The decision's answer: the comment as decided, or why it was not. */
  answer: Promise<Comment>;
  /** Set once `u` has taken it back: its own outcome is no longer news. */
  undone: boolean;
}

export const lastDecision = signal<Decided | null>(null);
/** The latest word for the moderator (announced to screen readers too). */
export const announcement = signal<{ text: string; undo?: boolean } | null>(null);

let undoer: (() => void) | null = null;

/** The list on screen takes back the last decision (it knows where the card goes back). */
export function handleUndo(run: (() => void) | null): void {
  undoer = run;
}

/** The announcement's Undo button: the same as `u`. */
export function requestUndo(): void {
  undoer?.();
}

/** A decision that lost the race: who decided what, instead of an error. */
export class AlreadyDecided extends Error {
  constructor(
    readonly status: string,
    readonly by: LogEntry | null,
  ) {
    super(decidedText(status, by));
  }
}

export function decidedText(status: string, by: LogEntry | null): string {
  if (!by) return `Already ${statusWord(status)} by someone else.`;
  const who = by.actor ? (by.actor.name ?? by.actor.id) : 'the automatic rules';
  return `Already ${ACTION_LABEL[by.action] ?? statusWord(by.toStatus ?? status)} by ${who}.`;
}

/** The latest log entry about a comment: who decided it last. */
async function lastEntry(commentId: string): Promise<LogEntry | null> {
  const page = await call(() => api.GET('/api/moderation/log', { params: { query: { commentId, limit: 1 } } }));
  return page.items[0] ?? null;
}

/**
 * Approves or rejects, refusing if someone changed the comment since the card was drawn
 * (expectedStatus): then AlreadyDecided says who did what. It is the last decision at once, before
 * its answer, so that an undo pressed straight after it takes back this one.
 */
export function decide(item: QueueItem, action: Action, why: Why = {}): Decided {
  const decided: Decided = { item, action, fromStatus: item.status, answer: send(item, action, why), undone: false };
  lastDecision.value = decided;
  decided.answer.catch(() => {
    if (lastDecision.peek() === decided) lastDecision.value = null; // nothing was decided: nothing to undo
  });
  return decided;
}

async function send(item: QueueItem, action: Action, why: Why): Promise<Comment> {
  const path = action === 'approve' ? '/api/moderation/comments/{id}/approve' : '/api/moderation/comments/{id}/reject';
  try {
    return await call(() =>
      api.POST(path, {
        params: { path: { id: item.id } },
        body: { expectedStatus: item.status, ...why },
        ...onSite(siteOfItem(item)?.key),
      }),
    );
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    const lost = await conflict(item.id);
    // A retry after a lost answer finds its own decision taken: that is success, not a race.
    const mine = lost.by?.actor?.id === claims.value?.sub && lost.by?.action === action;
    if (!mine) throw lost;
    return { ...item, status: lost.status as Comment['status'] };
  }
}

async function conflict(commentId: string): Promise<AlreadyDecided> {
  const [comment, by] = await Promise.all([
    call(() => api.GET('/api/comments/{id}', { params: { path: { id: commentId } } })),
    lastEntry(commentId),
  ]);
  return new AlreadyDecided(comment.status, by);
}

/** An undo of a decision that did not go through: the decision's own failure says what happened. */
export class NotDecided extends Error {}

/**
 * Takes back this moderator's last decision: once its answer is back (queued behind it), the
 * reverse decision, only while the comment still has the status this moderator gave it, so no one
 * else's later decision is undone.
 */
export async function undo(decided: Decided): Promise<QueueItem> {
  const { item, action, fromStatus } = decided;
  decided.undone = true;
  if (lastDecision.peek() === decided) lastDecision.value = null; // a second `u` does not take it back twice
  try {
    await decided.answer.catch((error) => {
      throw new NotDecided(error instanceof Error ? error.message : String(error));
    });
    const expectedStatus = action === 'approve' ? 'approved' : 'rejected';
    const comment =
      fromStatus === 'pending' || fromStatus === 'published'
        ? await call(() =>
            api.POST('/api/moderation/comments/{id}/restore', {
              params: { path: { id: item.id } },
              body: { status: fromStatus, expectedStatus },
              ...onSite(siteOfItem(item)?.key),
            }),
          )
        : await call(() =>
            api.POST(
              fromStatus === 'approved'
                ? '/api/moderation/comments/{id}/approve'
                : '/api/moderation/comments/{id}/reject',
              { params: { path: { id: item.id } }, body: { expectedStatus }, ...onSite(siteOfItem(item)?.key) },
            ),
          );
    return { ...item, status: comment.status };
  } catch (error) {
    // Not undone: `u` may try again, unless another decision came since.
    if (!(error instanceof NotDecided) && lastDecision.peek() === null) {
      decided.undone = false;
      lastDecision.value = decided;
    }
    if (error instanceof ApiError && error.status === 409) throw await conflict(item.id);
    throw error;
  }
}

export async function decideMany(ids: string[], action: Action, why: Why = {}): Promise<Map<string, string | null>> {
  const { results } = await call(() => api.POST('/api/moderation/bulk', { body: { action, commentIds: ids, ...why } }));
  return new Map(results.map((r) => [r.id, r.ok ? null : (r.code ?? 'failed')]));
}
