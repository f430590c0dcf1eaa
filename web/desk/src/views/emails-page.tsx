import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { when } from '../format';
import { problemText } from '../forms';
import { usePageHeading } from '../page-heading';
import { PageFooter, usePaged } from '../paged';
import { href, route } from '../router';
import { pageSite } from '../site-choice';

type Email = Schemas['CaughtEmailView'];

/**
 * The email's HTML in a frame of its own that runs nothing: sandboxed without scripts or the
 * console's origin, and a policy that loads nothing from anywhere (so no tracking image either).
 */
const FRAME_POLICY = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;

/**
 * The mail catcher: with no mail server, the emails this site's readers would have received, the
 * newest first; one of them opened below the list (`#/emails/<id>`) with its HTML, text and headers.
 */
export function EmailsPage() {
  const heading = usePageHeading('Emails');
  const openId = route.value.parts[0];
  const list = usePaged(
    (cursor) => call(() => api.GET('/api/admin/emails', { params: { query: { limit: 20, cursor } } })),
    `${pageSite.value}`,
  );
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Emails
      </h1>
      <p class="muted">
        This installation has no mail server, so the emails it would send are kept here instead, for you to read.
      </p>
      {openId && <OpenEmail id={openId} />}
      {list.items.value.length > 0 && (
        <table class="stacked">
          <caption class="visually-hidden">Emails kept, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            {list.items.value.map((email) => (
              <tr aria-current={email.id === openId ? 'true' : undefined}>
                <td>
                  <a href={href('emails', [email.id])}>{email.subject}</a>
                </td>
                <td>{email.to}</td>
                <td>{when(email.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageFooter paged={list} empty="No email has been kept yet." what="emails" />
    </>
  );
}

function OpenEmail({ id }: { id: string }) {
  const email = useSignal<Email | null>(null);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    email.value = null;
    problem.value = null;
    call(() => api.GET('/api/admin/emails/{id}', { params: { path: { id } } })).then(
      (found) => (email.value = found),
      (error) => (problem.value = problemText(error)),
    );
  }, [id]);
  if (problem.value)
    return (
      <p class="error" role="alert">
        Could not open the email: {problem.value}
      </p>
    );
  const e = email.value;
  if (!e) return <p class="loading">Loading…</p>;
  return (
    <section class="panel email" aria-labelledby="email-subject">
      <h2 id="email-subject">{e.subject}</h2>
      <dl class="keys">
        <dt>To</dt>
        <dd>{e.to}</dd>
        <dt>Kept</dt>
        <dd>{when(e.createdAt)}</dd>
        <dt>Message-ID</dt>
        <dd class="mono">{e.messageId}</dd>
        {Object.entries(e.headers).map(([name, value]) => (
          <>
            <dt>{name}</dt>
            <dd class="mono">{value}</dd>
          </>
        ))}
      </dl>
      <h3>As HTML</h3>
      <iframe
        title={`The email “${e.subject}” as HTML`}
        sandbox=""
        referrerpolicy="no-referrer"
        srcDoc={`${FRAME_POLICY}${e.html}`}
      />
      <h3>As plain text</h3>
      <pre>{e.text}</pre>
      <p>
        <a href={href('emails')}>Close the email</a>
      </p>
    </section>
  );
}
