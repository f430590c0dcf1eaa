import type { LogEntry } from '../api/client';
import { ago, when } from '../format';
import { href } from '../router';
import { statusLabel } from '../words';
import { actionText, reasonText } from './log-words';

export function actorName(entry: LogEntry): string {
  return entry.actor ? (entry.actor.name ?? entry.actor.id) : 'Automatic rules';
}

/** An article by its title, linked to its page. */
function ArticleLink({ id, title }: { id: string; title: string | null }) {
  return (
    <a class="title" href={href('articles', [id])} title={title ?? undefined}>
      {title ? <bdi>{title}</bdi> : short(id)}
    </a>
  );
}

/** What a log entry is about, in words (a comment's, an article's title, a user's name), linked to where it is looked at. */
function Target({ entry }: { entry: LogEntry }) {
  const id = entry.targetId;
  switch (entry.targetType) {
    case 'user':
      return (
        <>
          user{' '}
          <a href={href('users', [id])}>
            <bdi>{entry.targetName ?? id}</bdi>
          </a>
        </>
      );
    case 'comment':
      return (
        <>
          <a
            class="excerpt"
            href={href('search', [], { commentId: id, articleId: entry.articleId ?? undefined })}
            title={entry.excerpt ?? undefined}
          >
            {entry.excerpt ? <q dir="auto">{entry.excerpt}</q> : `a deleted comment (${short(id)})`}
          </a>
          {entry.articleId && (
            <>
              {' '}
              on <ArticleLink id={entry.articleId} title={entry.articleTitle} />
            </>
          )}
        </>
      );
    case 'article':
      return (
        <>
          article <ArticleLink id={id} title={entry.articleTitle} />
        </>
      );
    case 'settings':
      return <a href={href('settings')}>the settings</a>;
    default:
      return (
        <>
          {entry.targetType} {short(id)}
        </>
      );
  }
}

const short = (uuid: string) => (uuid.length > 12 ? `${uuid.slice(0, 8)}…` : uuid);

/** "Pending → Rejected"; a comment that had none before shows where it went. */
function statusChange(entry: LogEntry): string | null {
  if (!entry.fromStatus && !entry.toStatus) return null;
  if (!entry.fromStatus) return statusLabel(entry.toStatus);
  return `${statusLabel(entry.fromStatus)} → ${statusLabel(entry.toStatus)}`;
}

/**
 * Log entries, as they come (newest first); the moderator's name filters the log by them. One
 * line an entry on a wide screen; on a phone, each entry is a block of its own (styles.css).
 */
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
        {props.entries.map((entry) => {
          const status = statusChange(entry);
          const reason = reasonText(entry);
          return (
            <tr key={entry.id} data-log-id={entry.id}>
              <td class="when">
                <time dateTime={String(entry.createdAt)} title={when(entry.createdAt)}>
                  {ago(entry.createdAt)}
                </time>
              </td>
              <td class="who">
                {entry.actor ? (
                  <a href={href('log', [], { actorId: entry.actor.id })} title="Everything this moderator did">
                    <bdi>{actorName(entry)}</bdi>
                  </a>
                ) : (
                  <span class="muted">{actorName(entry)}</span>
                )}
              </td>
              <td class="action">
                {props.showTarget === false
                  ? actionText(entry.action).replace(/ (for|of|about)$/, '')
                  : actionText(entry.action)}
              </td>
              {props.showTarget !== false && (
                <td class="target">
                  <Target entry={entry} />
                </td>
              )}
              <td class="status-change">{status}</td>
              <td class="reason" dir="auto" title={reason ?? undefined}>
                {reason}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
