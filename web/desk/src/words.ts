import type { QueueItem, Schemas } from './api/client';
import { capitalize, count, number } from './format';

/** A comment's status as a label (on its own: a badge, a column, a choice). */
export const STATUS_LABEL: Record<QueueItem['status'], string> = {
  pending: 'Pending',
  published: 'Published, not reviewed',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** A status inside a sentence ("the comment is pending again"). */
export function statusWord(status: string | null | undefined): string {
  const label = STATUS_LABEL[status as QueueItem['status']];
  return label ? label.toLowerCase() : (status ?? 'unknown');
}

export function statusLabel(status: string | null | undefined): string {
  return STATUS_LABEL[status as QueueItem['status']] ?? capitalize(status ?? '—');
}

/** Why a reader reported a comment. */
export const REPORT_REASON: Record<Schemas['ReportView']['reason'], string> = {
  spam: 'Spam',
  abuse: 'Abuse',
  off_topic: 'Off topic',
  other: 'Other',
};

/** What each decision did, inside a sentence ("Already approved by Ada"). */
export const ACTION_LABEL: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  restore: 'put back',
};

/** Why a comment in a bulk decision was not decided, by the API's problem code. */
export const REFUSAL: Record<string, string> = {
  CONFLICT: 'someone else decided it first',
  NOT_FOUND: 'it no longer exists',
  FORBIDDEN: 'you may not decide it',
  RATE_LIMITED: 'too many decisions at once; try again in a moment',
};

/**
 * Why the rules held a comment, as the API words them ("suspect words: refund", "1 links (at most
 * 0 go up unseen)"): capitalized, with their counts said in the singular when there is one.
 */
export function heldBecause(reason: string, capitalized = true): string {
  const said = reason
    .replace(
      /^(\d+) links \(at most (\d+) go up unseen\)$/,
      (_, n, max) => `${count(Number(n), 'link', 'links')} (at most ${number(Number(max))} go up unseen)`,
    )
    .replace(
      /^(\d+) open reports \(threshold (\d+)\)$/,
      (_, n, max) => `${count(Number(n), 'open report', 'open reports')} (threshold ${number(Number(max))})`,
    )
    .replace(
      /^new commenter \((\d+) of (\d+) comments approved\)$/,
      (_, n, of) => `new commenter (${number(Number(n))} of ${count(Number(of), 'comment', 'comments')} approved)`,
    );
  return capitalized ? capitalize(said) : said;
}
