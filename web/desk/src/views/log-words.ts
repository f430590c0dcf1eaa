import type { LogEntry } from '../api/client';
import { fieldName } from '../field-names';
import { capitalize, count, datesIn } from '../format';
import { heldBecause } from '../words';

/** What each logged action did, as the log reads it ("Ada banned user rex"). */
export const LOG_ACTION: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  restore: 'put back',
  hold: 'held for review',
  edit: 'edited',
  delete: 'deleted',
  ban: 'banned',
  unban: 'unbanned',
  premod_on: 'turned pre-moderation on for',
  premod_off: 'turned pre-moderation off for',
  note: 'added a note about',
  erase: 'erased the personal data of',
  close: 'closed',
  reopen: 'reopened',
  change_mode: 'changed the moderation of',
  schedule_close: 'scheduled the closing of',
  change_disclaimer: 'changed the disclaimer of',
  create_article: 'created',
  update_settings: 'changed',
  import: 'imported',
  update_slack: 'changed the Slack alerts of',
  remove_slack: 'turned off the Slack alerts of',
  retry_delivery: 'sent again a delivery of',
  add_webhook: 'added a webhook to',
  change_webhook: 'changed a webhook of',
  remove_webhook: 'removed a webhook from',
  rotate_webhook_secret: 'rotated a webhook secret of',
  pause_webhook: 'paused a webhook of',
  resume_webhook: 'resumed a webhook of',
};

export function actionText(action: string): string {
  return LOG_ACTION[action] ?? action.replace(/_/g, ' ');
}

const list = new Intl.ListFormat(document.documentElement.lang || 'en', { type: 'conjunction' });

/**
 * A log entry's reason in words. Moderators' own reasons are kept as they typed them (their dates
 * said in the moderator's locale); the reasons the service writes name settings and statuses as the
 * API does, and are said here in words.
 */
export function reasonText(entry: LogEntry): string | null {
  const reason = entry.reason;
  if (!reason) return null;
  switch (entry.action) {
    case 'update_settings': {
      const changed = /^changed (.+)$/.exec(reason);
      if (!changed) break;
      return `Changed ${list.format(changed[1].split(', ').map((key) => fieldName(key).toLowerCase()))}`;
    }
    case 'note':
      return null; // the note's id: the note itself is on the user's page
    case 'hold':
    case 'edit':
      return capitalize(
        reason
          .split('; ')
          .map((r) => heldBecause(r, false))
          .join('; '),
      );
    case 'change_disclaimer': {
      const disclaimer = /^show: (true|false|auto); text: ([\s\S]*)$/.exec(reason);
      if (!disclaimer) break;
      const [, show, text] = disclaimer;
      if (show === 'false') return 'Hidden';
      return `${show === 'true' ? 'Shown' : 'Shown while comments are not reviewed first'}: “${text}”`;
    }
    case 'erase':
      return reason.replace(
        /^(\d+) comments removed, (\d+) kept as tombstones$/,
        (_, removed, kept) =>
          `${count(Number(removed), 'comment', 'comments')} removed, ${count(Number(kept), 'kept as a tombstone', 'kept as tombstones')}`,
      );
    case 'create_article':
    case 'schedule_close':
    case 'delete':
      return capitalize(
        datesIn(reason).replace(/\(([a-z]+[A-Z][A-Za-z]*)\)/g, (_, key) => `(the setting “${fieldName(key)}”)`),
      );
  }
  return datesIn(reason);
}
