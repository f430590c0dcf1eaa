import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { getDeliveries, sendAgain, type DeadLetter, type Deliveries } from '../api/deliveries';
import { announcement } from '../decisions';
import { number, when } from '../format';
import { problemText } from '../forms';
import { usePageHeading } from '../page-heading';
import { isAdminHere, mySites, oneSite, siteName } from '../site-choice';

const QUEUE_NAME: Record<string, string> = { webhook: 'Webhooks', email: 'Emails', slack: 'Slack alerts' };

/**
 * `#/deliveries`: what the site sends out (webhooks, emails, Slack alerts), for its admins: how
 * many wait, retry and failed for good, and the dead letters, each of which can be sent again.
 */
export function DeliveriesPage() {
  const heading = usePageHeading('Deliveries');
  const site = oneSite.value;
  const found = useSignal<Deliveries | null>(null);
  const problem = useSignal<string | null>(null);
  const sending = useSignal<string | null>(null);

  const load = async () => {
    if (!site) return;
    problem.value = null;
    try {
      found.value = await getDeliveries(site);
    } catch (error) {
      problem.value = problemText(error);
    }
  };
  useEffect(() => {
    found.value = null;
    if (isAdminHere()) void load();
  }, [site, isAdminHere()]);

  const again = async (letter: DeadLetter) => {
    if (!site || sending.value) return;
    sending.value = letter.id;
    try {
      await sendAgain(site, letter);
      announcement.value = { text: `Sent again: ${letter.summary}` };
    } catch (error) {
      announcement.value = { text: `Not sent again: ${problemText(error)}` };
    } finally {
      sending.value = null;
    }
    await load();
  };

  const d = found.value;
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Deliveries
      </h1>
      {(mySites.value?.length ?? 0) > 1 && (
        <p class="muted">
          Of the site <strong>{siteName(site)}</strong>.
        </p>
      )}
      {!isAdminHere() ? (
        <p class="panel" role="alert">
          Only administrators can see deliveries.
        </p>
      ) : (
        <>
          {problem.value && (
            <p class="error" role="alert">
              {problem.value}
            </p>
          )}
          {!d && !problem.value && <p class="loading">Loading…</p>}
          {d && (
            <>
              <section class="panel" aria-labelledby="queues">
                <h2 id="queues">What is being sent</h2>
                <table class="stacked">
                  <caption class="visually-hidden">Deliveries by kind</caption>
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">Waiting</th>
                      <th scope="col">Retrying</th>
                      <th scope="col">Failed for good</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.queues.map((q) => (
                      <tr key={q.queue}>
                        <td>{QUEUE_NAME[q.queue] ?? q.queue}</td>
                        <td data-label="Waiting">{number(q.waiting)}</td>
                        <td data-label="Retrying">{number(q.retrying)}</td>
                        <td data-label="Failed for good">{number(q.dead)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div class="actions">
                  <button type="button" class="quiet" onClick={() => void load()}>
                    Refresh
                  </button>
                </div>
              </section>
              <section class="panel" aria-labelledby="dead">
                <h2 id="dead">Failed for good</h2>
                {d.deadLetters.length === 0 ? (
                  <p class="muted">Nothing: every delivery was made, or is still being tried.</p>
                ) : (
                  <>
                    <p class="muted">
                      These failed every try. Once the receiver works again, send them again; each is kept 30 days.
                    </p>
                    <table class="stacked">
                      <caption class="visually-hidden">Deliveries that failed for good</caption>
                      <thead>
                        <tr>
                          <th scope="col">What</th>
                          <th scope="col">To</th>
                          <th scope="col">Tries</th>
                          <th scope="col">Last error</th>
                          <th scope="col">Failed</th>
                          <th scope="col">
                            <span class="visually-hidden">Actions</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.deadLetters.map((letter) => (
                          <tr key={letter.id}>
                            <td>
                              <bdi>{letter.summary}</bdi>
                              <div class="muted">{QUEUE_NAME[letter.queue] ?? letter.queue}</div>
                            </td>
                            <td data-label="To">
                              <bdi>{letter.receiver}</bdi>
                            </td>
                            <td data-label="Tries">{number(letter.tries)}</td>
                            <td data-label="Last error">
                              <bdi>{letter.lastError ?? '—'}</bdi>
                            </td>
                            <td data-label="Failed">{letter.failedAt ? when(letter.failedAt) : '—'}</td>
                            <td>
                              <button
                                type="button"
                                aria-disabled={sending.value ? 'true' : undefined}
                                aria-label={`Send again: ${letter.summary}`}
                                onClick={() => void again(letter)}
                              >
                                {sending.value === letter.id ? 'Sending…' : 'Send again'}
                              </button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}
