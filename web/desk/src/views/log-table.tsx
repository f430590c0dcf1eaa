import type { LogEntry } from '../api/client';
import { ago, when } from '../format';
import { href } from '../router';

/** What each logged action did, as the log reads it ("Ada banned …"). */
export const LOG_ACTION: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  restore: 'put back',
  hold: 'held for review',
  edit: 'edited',
  delete: 'deleted',
  ban: 'banned',
  unban: 'unbanned',
  premod_on: 'pre-moderation on',
  premod_off: 'pre-moderation off',
  note: 'added a note',
  erase: 'erased personal data',
  close: 'closed',
  reopen: 'reopened',
  change_mode: 'changed moderation',
  schedule_close: 'scheduled closing',
  change_disclaimer: 'changed the disclaimer',
  create_article: 'created',
  update_settings: 'changed the settings',
  import: 'imported',
};

export function actorName(entry: LogEntry): string {
  return entry.actor ? (entry.actor.name ?? entry.actor.id) : 'automatic rules';
}

/** Where a log entry's target is looked at in the console. */
function Target({ entry }: { entry: LogEntry }) {
  const id = entry.targetId;
  switch (entry.targetType) {
    case 'user':
      return (
        <>
          user <a href={href('users', [id])}>{id}</a>
        </>
      );
    case 'comment':
      return (
        <>
          comment{' '}
          <a href={href('search', [], { commentId: id, articleId: entry.articleId ?? undefined })}>{short(id)}</a>
          {entry.articleId && (
            <>
              {' '}
              on <a href={href('articles', [entry.articleId])}>its article</a>
            </>
          )}
        </>
      );
    case 'article':
      return (
        <>
          article <a href={href('articles', [id])}>{short(id)}</a>
        </>
      );
    case 'settings':
      return <a href={href('settings')}>settings</a>;
    default:
      return (
        <>
          {entry.targetType} {short(id)}
        </>
      );
  }
}

const short = (uuid: string) => (uuid.length > 12 ? `${uuid.slice(0, 8)}…` : uuid);

/** Log entries, as they come (newest first); the moderator's name filters the log by them. */
export function LogTable(props: { entries: LogEntry[]; caption: string; showTarget?: boolean }) {
  return (
    <table class="log">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          {props.showTarget !== false && <th scope="col">Target</th>}
          <th scope="col">Status</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr key={entry.id} data-log-id={entry.id}>
            <td>
              <time dateTime={String(entry.createdAt)} title={when(entry.createdAt)}>
                {ago(entry.createdAt)}
              </time>
            </td>
            <td>
              {entry.actor ? (
                <a href={href('log', [], { actorId: entry.actor.id })} title="Everything this moderator did">
                  <bdi>{actorName(entry)}</bdi>
                </a>
              ) : (
                <span class="muted">{actorName(entry)}</span>
              )}
            </td>
            <td>{LOG_ACTION[entry.action] ?? entry.action}</td>
            {props.showTarget !== false && (
              <td>
                <Target entry={entry} />
              </td>
            )}
            <td>{entry.fromStatus || entry.toStatus ? `${entry.fromStatus ?? '—'} → ${entry.toStatus ?? '—'}` : ''}</td>
            <td class="reason" dir="auto">
              {entry.reason}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
