import { signal, useSignal, type Signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, api, call, type BannedUser, type ModeratedUser, type QueueItem } from '../api/client';
import { bannedText } from './waiting-comments';
import { announcement } from '../decisions';
import { ago, count, number, when } from '../format';
import { STATUS_LABEL, statusWord } from '../words';
import { Fields, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { PageFooter, usePaged } from '../paged';
import { href, route } from '../router';
import { BanDialog } from './dialogs';
import { LogTable } from './log-table';

/** `#/users/<id>`: who they are, their standing, and what moderators know and did about them. */
export function UserPage() {
  const id = route.value.parts[0] ?? '';
  return id ? <UserView key={id} id={id} /> : <NoUser />;
}

function NoUser() {
  const heading = usePageHeading('Users');
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Users
      </h1>
      <p>A user’s page opens from their name: on a comment, in the log or in search.</p>
    </>
  );
}

type Loaded = { state: 'loading' } | { state: 'missing' } | { state: 'failed'; text: string } | ModeratedUser;

function UserView({ id }: { id: string }) {
  const user = useSignal<Loaded>({ state: 'loading' });
  const u = 'id' in user.value ? user.value : null;
  const name = u?.name ?? id;
  const heading = usePageHeading(name);

  const refresh = async () => {
    try {
      user.value = await call(() => api.GET('/api/moderation/users/{id}', { params: { path: { id } } }));
    } catch (error) {
      user.value =
        error instanceof ApiError && error.status === 404
          ? { state: 'missing' }
          : { state: 'failed', text: problemText(error) };
    }
  };
  useEffect(() => void refresh(), []);

  const decisions = usePaged(
    (cursor) => call(() => api.GET('/api/moderation/log', { params: { query: { targetId: id, cursor, limit: 20 } } })),
    id,
  );

  /** Bumped when a ban rejected some of their comments: their cards are read again. */
  const commentsRead = useSignal(0);
  const changed = (next: ModeratedUser | BannedUser, said: string) => {
    user.value = next;
    if ('waitingRejections' in next && next.waitingRejections.rejected > 0) commentsRead.value++;
    announcement.value = { text: said };
    void decisions.reload();
  };

  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        <bdi>{name}</bdi>
      </h1>
      {!u ? (
        <Missing loaded={user.value} id={id} />
      ) : (
        <>
          <p class="muted">
            User id <code>{id}</code> · first seen {when(u.createdAt)}
          </p>
          <Standing user={u} onChange={changed} />
          <Notes userId={id} onAdded={() => void decisions.reload()} />
          <Comments key={commentsRead.value} userId={id} />
          <section class="panel" aria-labelledby="user-decisions">
            <h2 id="user-decisions">
              Decisions about <bdi>{name}</bdi>
            </h2>
            {decisions.items.value.length > 0 && (
              <LogTable entries={decisions.items.value} caption={`Decisions about ${name}`} showTarget={false} />
            )}
            <PageFooter paged={decisions} what="decisions" empty="No moderator has decided anything about them yet." />
            <p>
              <a href={href('log', [], { targetId: id })}>Open in the moderation log</a>
            </p>
          </section>
        </>
      )}
    </>
  );
}

function Missing({ loaded, id }: { loaded: Loaded; id: string }) {
  if ('state' in loaded && loaded.state === 'missing')
    return (
      <p>
        No one with the id <code>{id}</code> has commented or been moderated here.
      </p>
    );
  if ('state' in loaded && loaded.state === 'failed')
    return (
      <p class="error" role="alert">
        Could not load this user: {loaded.text}
      </p>
    );
  return <p class="loading">Loading…</p>;
}

/** Ban, pre-moderation and counts, with the actions that change them. */
function Standing(props: { user: ModeratedUser; onChange: (user: ModeratedUser | BannedUser, said: string) => void }) {
  const { user } = props;
  const name = user.name ?? user.id;
  const banning = useSignal(false);
  const busy = useSignal(false);
  const problem = useSignal<string | null>(null);

  const act = async (run: () => Promise<ModeratedUser>, said: string) => {
    busy.value = true;
    problem.value = null;
    try {
      props.onChange(await run(), said);
    } catch (error) {
      problem.value = `That did not work: ${problemText(error)}`;
    } finally {
      busy.value = false;
    }
  };
  const path = { params: { path: { id: user.id } } };
  const unban = () =>
    act(() => call(() => api.POST('/api/moderation/users/{id}/unban', path)), `${name} is no longer banned.`);
  const premod = (enabled: boolean) =>
    act(
      () => call(() => api.POST('/api/moderation/users/{id}/premod', { ...path, body: { enabled } })),
      enabled ? `${name}'s new comments will wait for a moderator.` : `${name}'s comments are no longer held.`,
    );

  const { ban } = user;
  return (
    <section class="panel" aria-labelledby="user-standing">
      <h2 id="user-standing">Standing</h2>
      <dl class="facts">
        <dt>Ban</dt>
        <dd>
          {ban.banned ? (
            <>
              <strong>Banned</strong> since {ban.since ? when(ban.since) : 'an unknown time'},{' '}
              {ban.until ? `until ${when(ban.until)}` : 'until unbanned'}.
              {ban.reason && (
                <>
                  {' '}
                  Reason: <bdi>{ban.reason}</bdi>
                </>
              )}
            </>
          ) : ban.until ? (
            `Not banned: a ban ran out on ${when(ban.until)}.`
          ) : (
            'Not banned.'
          )}
        </dd>
        <dt>Pre-moderation</dt>
        <dd>{user.premod ? 'On: their new comments wait for a moderator.' : 'Off.'}</dd>
        <dt>Comments</dt>
        <dd>
          <ul class="counts">
            {Object.entries(user.counts).map(([status, n]) => (
              <li>
                <strong>{number(n)}</strong> {statusWord(status)}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Waiting</dt>
        <dd>
          {user.waiting > 0
            ? `${count(user.waiting, 'comment', 'comments')} held for review or reported, waiting for a moderator.`
            : 'Nothing waits for a moderator.'}
        </dd>
      </dl>
      <div class="actions">
        {ban.banned ? (
          <button type="button" class="approve" disabled={busy.value} onClick={unban}>
            Unban
          </button>
        ) : (
          <button type="button" class="reject" disabled={busy.value} onClick={() => (banning.value = true)}>
            Ban…
          </button>
        )}
        <button type="button" disabled={busy.value} onClick={() => premod(!user.premod)}>
          {user.premod ? 'Turn pre-moderation off' : 'Turn pre-moderation on'}
        </button>
      </div>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {banning.value && (
        <BanDialog
          userId={user.id}
          name={name}
          onClose={(banned) => {
            banning.value = false;
            if (banned) props.onChange(banned, bannedText(banned));
          }}
        />
      )}
    </section>
  );
}

/** What a moderator is writing about a user, kept across pages until it is saved. */
const noteDrafts = new Map<string, Signal<string>>();
function noteDraft(userId: string): Signal<string> {
  let draft = noteDrafts.get(userId);
  if (!draft) noteDrafts.set(userId, (draft = signal('')));
  return draft;
}

/** Moderators' notes about the user: newest first, appended, never edited. */
function Notes(props: { userId: string; onAdded: () => void }) {
  const draft = noteDraft(props.userId);
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const notes = usePaged(
    (cursor) =>
      call(() =>
        api.GET('/api/moderation/users/{id}/notes', {
          params: { path: { id: props.userId }, query: { cursor, limit: 20 } },
        }),
      ),
    props.userId,
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    try {
      const note = await call(() =>
        api.POST('/api/moderation/users/{id}/notes', {
          params: { path: { id: props.userId } },
          body: { body: draft.value.trim() },
        }),
      );
      notes.items.value = [note, ...notes.items.value];
      notes.loaded.value = true;
      draft.value = '';
      announcement.value = { text: 'Note added.' };
      props.onAdded();
    } catch (error) {
      errors.value = fieldErrors(error);
      if (!errors.value.body) problem.value = `The note was not saved: ${problemText(error)}`;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const f = new Fields('note', errors.value, { body: { label: 'The note' } });
  return (
    <section class="panel" aria-labelledby="user-notes">
      <h2 id="user-notes">Notes</h2>
      <form ref={form} class="stack" onSubmit={submit} noValidate>
        <label for="note-body">New note</label>
        <textarea
          id="note-body"
          rows={3}
          maxLength={2000}
          value={draft.value}
          onInput={(e) => (draft.value = e.currentTarget.value)}
          {...f.control('body', 'note-hint')}
        />
        <p id="note-hint" class="muted hint">
          Moderators only. A note cannot be changed or removed once added.
        </p>
        {f.message('body')}
        {problem.value && (
          <p class="error" role="alert">
            {problem.value}
          </p>
        )}
        <button type="submit" class="primary" aria-disabled={busy.value ? 'true' : undefined}>
          {busy.value ? 'Adding…' : 'Add note'}
        </button>
      </form>
      <ol class="notes" aria-label="Notes, newest first">
        {notes.items.value.map((note) => (
          <li key={note.id}>
            <p class="meta">
              <strong>
                <bdi>{note.author.name ?? note.author.id}</bdi>
              </strong>{' '}
              <time dateTime={String(note.createdAt)} title={when(note.createdAt)}>
                {ago(note.createdAt)}
              </time>
            </p>
            <p class="body" dir="auto">
              {note.body}
            </p>
          </li>
        ))}
      </ol>
      <PageFooter paged={notes} what="notes" empty="No notes yet." />
    </section>
  );
}

/** Everything they wrote, on every article, in every status, newest first. */
function Comments({ userId }: { userId: string }) {
  const comments = usePaged(
    (cursor) =>
      call(() => api.GET('/api/moderation/comments', { params: { query: { authorId: userId, cursor, limit: 20 } } })),
    userId,
  );
  return (
    <section class="panel" aria-labelledby="user-comments">
      <h2 id="user-comments">Comments</h2>
      <ol class="entries" aria-label="Their comments, newest first">
        {comments.items.value.map((c) => (
          <UserComment key={c.id} comment={c} />
        ))}
      </ol>
      <PageFooter paged={comments} what="comments" empty="No comments." />
    </section>
  );
}

function UserComment({ comment }: { comment: QueueItem }) {
  return (
    <li>
      <p class="meta">
        <span class={`status status-${comment.status}`}>{STATUS_LABEL[comment.status]}</span> on{' '}
        <a href={href('articles', [comment.articleId])}>
          <bdi>{comment.article.title}</bdi>
        </a>{' '}
        <time dateTime={String(comment.createdAt)} title={when(comment.createdAt)}>
          {ago(comment.createdAt)}
        </time>
        {comment.openReportCount > 0 && (
          <span class="muted"> · {count(comment.openReportCount, 'open report', 'open reports')}</span>
        )}{' '}
        <a href={`${comment.article.url}#comment-${comment.id}`} target="_blank" rel="noopener">
          In its thread
        </a>
      </p>
      <p class="body" dir="auto">
        {comment.body ?? <em>deleted</em>}
      </p>
    </li>
  );
}
