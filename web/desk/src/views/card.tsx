import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Ref } from 'preact';
import { api, call, type Comment, type QueueItem } from '../api/client';
import { ago, count, when } from '../format';
import { heldBecause, REPORT_REASON, STATUS_LABEL } from '../words';
import { href } from '../router';
import { marker } from '../settings-store';
import { siteOfItem } from '../api/sites';
import { ALL_SITES, siteChoice } from '../site-choice';

export interface CardNotice {
  kind: 'decided' | 'error';
  text: string;
}

interface Props {
  item: QueueItem;
  index: number;
  notice?: CardNotice;
  selected?: boolean;
  onSelect?: (index: number, range: boolean) => void;
  onDecide: (item: QueueItem, action: 'approve' | 'reject') => void;
  onRejectWithReason: (item: QueueItem) => void;
  onBan: (item: QueueItem) => void;
  onPremod: (item: QueueItem) => void;
  cardRef?: Ref<HTMLElement>;
  onFocus?: () => void;
}

/** One comment as a moderator reviews it: text with what the rules matched, why it is here, and the actions. */
export function Card(props: Props) {
  const { item, notice } = props;
  const titleId = `card-${item.id}`;
  const author = item.author?.name ?? item.author?.id ?? 'deleted';
  const site = siteOfItem(item);
  // A user belongs to one site: their page is opened on it.
  const userHref = (id: string) => href('users', [id], site ? { site: site.key } : undefined);
  return (
    <article
      class={`card${props.selected ? ' selected' : ''}${notice ? ` notice-${notice.kind}` : ''}`}
      tabIndex={-1}
      ref={props.cardRef}
      aria-labelledby={titleId}
      data-comment-id={item.id}
      onFocus={props.onFocus}
    >
      <header>
        {props.onSelect && (
          <input
            type="checkbox"
            checked={props.selected}
            aria-label={`Select comment by ${author}`}
            onClick={(e) => props.onSelect!(props.index, e.shiftKey)}
          />
        )}
        <h2 id={titleId}>
          {item.author ? (
            <a href={userHref(item.author.id)}>
              <bdi>{author}</bdi>
            </a>
          ) : (
            author
          )}
          <span class="muted"> on </span>
          <a href={item.article.url} target="_blank" rel="noopener">
            <bdi>{item.article.title}</bdi>
          </a>
        </h2>
        {site && siteChoice.value === ALL_SITES && (
          <span class="site-badge" title={`Site: ${site.name}`}>
            <span class="visually-hidden">Site: </span>
            <bdi>{site.name}</bdi>
          </span>
        )}
        <time dateTime={String(item.createdAt)} title={when(item.createdAt)}>
          {ago(item.createdAt)}
        </time>
        <span class={`status status-${item.status}`}>{STATUS_LABEL[item.status]}</span>
      </header>
      {item.parentId && <Parent id={item.parentId} />}
      <p class="body" dir="auto">
        {item.body === null ? (
          <em>deleted</em>
        ) : (
          marker.value.segments(item.body).map((s) =>
            s.mark ? (
              <mark class={s.mark} title={MARK_TITLE[s.mark]}>
                {s.text}
              </mark>
            ) : (
              s.text
            ),
          )
        )}
      </p>
      {item.moderationReasons.length > 0 && (
        <ul class="reasons" aria-label="Why it was held">
          {item.moderationReasons.map((r) => (
            <li>{heldBecause(r)}</li>
          ))}
        </ul>
      )}
      {item.status === 'rejected' && item.rejectionReason && (
        <p class="rejection-reason">
          Rejected as <strong>{item.rejectionReason}</strong>, which its author sees.
        </p>
      )}
      {item.reports.length > 0 && (
        <section class="reports" aria-label={count(item.openReportCount, 'open report', 'open reports')}>
          <h3>{count(item.openReportCount, 'open report', 'open reports')}</h3>
          <ul>
            {item.reports.map((r) => (
              <li>
                <strong>{REPORT_REASON[r.reason] ?? r.reason}</strong>
                {r.reporter && (
                  <>
                    {' by '}
                    <a href={userHref(r.reporter.id)}>
                      <bdi>{r.reporter.name ?? r.reporter.id}</bdi>
                    </a>
                  </>
                )}
                {r.note && (
                  <>
                    : <bdi>{r.note}</bdi>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {notice ? (
        <p class="notice" role="status">
          {notice.text}
        </p>
      ) : (
        <div class="actions">
          <button type="button" class="approve" onClick={() => props.onDecide(item, 'approve')}>
            Approve
          </button>
          <button type="button" class="reject" onClick={() => props.onDecide(item, 'reject')}>
            Reject
          </button>
          <button type="button" class="quiet" onClick={() => props.onRejectWithReason(item)}>
            Reject with reason…
          </button>
          {item.author && (
            <>
              <button type="button" class="quiet" onClick={() => props.onBan(item)}>
                Ban author
              </button>
              <button type="button" class="quiet" onClick={() => props.onPremod(item)}>
                Pre-moderate author
              </button>
            </>
          )}
          <a class="quiet" href={`${item.article.url}#comment-${item.id}`} target="_blank" rel="noopener">
            Open in thread
          </a>
        </div>
      )}
    </article>
  );
}

const MARK_TITLE = { banned: 'Banned word', suspect: 'Suspect word', link: 'Link' };

const parents = new Map<string, Promise<Comment>>();

/** The comment this one answers, fetched once per page load. */
function Parent({ id }: { id: string }) {
  const parent = useSignal<Comment | null>(null);
  useEffect(() => {
    let promise = parents.get(id);
    if (!promise) {
      promise = call(() => api.GET('/api/comments/{id}', { params: { path: { id } } }));
      parents.set(id, promise);
      promise.catch(() => parents.delete(id));
    }
    promise.then((c) => (parent.value = c)).catch(() => {});
  }, [id]);
  if (!parent.value) return <p class="parent muted">In reply to…</p>;
  return (
    <blockquote class="parent" aria-label="In reply to">
      <strong>
        <bdi>{parent.value.author?.name ?? 'deleted'}</bdi>
      </strong>
      : <bdi>{parent.value.body ?? <em>deleted</em>}</bdi>
    </blockquote>
  );
}
