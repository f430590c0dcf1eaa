import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import {
  getWebhook,
  listDeliveries,
  pauseWebhook,
  resumeWebhook,
  rotateSecret,
  sendAgain,
  sendTestEvent,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../api/webhooks';
import { announcement } from '../decisions';
import { when } from '../format';
import { problemText } from '../forms';
import type { usePageHeading } from '../page-heading';
import { href } from '../router';
import { SecretOnce, statusText } from './webhook-parts';

const STATE_TEXT: Record<WebhookDelivery['state'], string> = {
  delivered: 'Delivered',
  waiting: 'Waiting',
  retrying: 'Failed, to be tried again',
  dead: 'Failed every try',
  unknown: 'Not delivered',
};

/** One endpoint: its status and secrets, its actions, and its delivery log. */
export function WebhookDetail({ id, heading }: { id: string; heading: ReturnType<typeof usePageHeading> }) {
  const endpoint = useSignal<WebhookEndpoint | null>(null);
  const deliveries = useSignal<WebhookDelivery[] | null>(null);
  const problem = useSignal<string | null>(null);
  const secret = useSignal<string | null>(null);
  const busy = useSignal(false);

  const reload = () =>
    Promise.all([getWebhook(id), listDeliveries(id)]).then(
      ([e, log]) => {
        endpoint.value = e;
        deliveries.value = log.items;
      },
      (error) => (problem.value = problemText(error)),
    );
  useEffect(() => void reload(), [id]);

  /** Runs an action once at a time; says what came of it. */
  const act = async (run: () => Promise<unknown>, done: string) => {
    if (busy.value) return;
    busy.value = true;
    try {
      await run();
      announcement.value = { text: done };
      await reload();
    } catch (error) {
      announcement.value = { text: `Not done: ${problemText(error)}` };
    } finally {
      busy.value = false;
    }
  };

  const e = endpoint.value;
  return (
    <>
      <p class="muted">
        <a href={href('webhooks')}>Webhooks</a> ›
      </p>
      <h1 tabIndex={-1} ref={heading} class="url-cell">
        <bdi>{e?.url ?? 'Webhook'}</bdi>
      </h1>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {!e && !problem.value && <p class="loading">Loading…</p>}
      {e && (
        <>
          {secret.value && <SecretOnce url={e.url} secret={secret.value} />}
          <section class="panel" aria-labelledby="endpoint-state">
            <h2 id="endpoint-state">{statusText(e)}</h2>
            {e.description && <p>{e.description}</p>}
            <p class="muted">
              Events: <span class="mono">{e.events.join(', ')}</span>
            </p>
            <p class="muted">
              Last delivered {e.lastSuccessAt ? when(e.lastSuccessAt) : 'never'}; last failed{' '}
              {e.lastFailureAt ? when(e.lastFailureAt) : 'never'}.
            </p>
            <p class="muted">
              Secret <code>{e.secretFingerprints[0]}</code>
              {e.previousSecretUntil && (
                <>
                  {' '}
                  and, until {when(e.previousSecretUntil)}, the previous one <code>{e.secretFingerprints[1]}</code>:
                  each message carries both signatures
                </>
              )}
              .
            </p>
            <div class="actions">
              <button
                type="button"
                aria-disabled={busy.value ? 'true' : undefined}
                onClick={() => act(() => sendTestEvent(id), 'A test event is on its way; it shows below once tried.')}
              >
                Send a test event
              </button>
              {e.status === 'active' ? (
                <button
                  type="button"
                  aria-disabled={busy.value ? 'true' : undefined}
                  onClick={() => act(() => pauseWebhook(id), 'Paused: nothing is sent to it until it is resumed.')}
                >
                  Pause
                </button>
              ) : (
                <button
                  type="button"
                  aria-disabled={busy.value ? 'true' : undefined}
                  onClick={() => act(() => resumeWebhook(id), 'Resumed: events are sent to it again.')}
                >
                  Resume
                </button>
              )}
              <button
                type="button"
                aria-disabled={busy.value ? 'true' : undefined}
                onClick={() =>
                  act(async () => {
                    secret.value = (await rotateSecret(id)).secret;
                  }, 'A new secret signs from now on, beside the previous one for 24 hours. Copy it now.')
                }
              >
                Rotate the secret
              </button>
            </div>
          </section>
          <section class="panel" aria-labelledby="delivery-log">
            <h2 id="delivery-log">Delivery log</h2>
            <div class="actions">
              <button type="button" class="quiet" onClick={() => void reload()}>
                Refresh
              </button>
            </div>
            {deliveries.value?.length === 0 && <p class="muted">Nothing sent yet.</p>}
            {deliveries.value && deliveries.value.length > 0 && (
              <ul class="deliveries">
                {deliveries.value.map((d) => (
                  <li key={d.id}>
                    <Delivery
                      delivery={d}
                      onSendAgain={() => act(() => sendAgain(id, d.id), 'Sent again; it shows at the top once tried.')}
                    />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}

function Delivery({ delivery: d, onSendAgain }: { delivery: WebhookDelivery; onSendAgain: () => void }) {
  const last = d.attempts[d.attempts.length - 1];
  const canSendAgain = d.state === 'delivered' || d.state === 'dead' || d.state === 'unknown';
  return (
    <details>
      <summary>
        <span class="mono">{d.type}</span> · {STATE_TEXT[d.state]} · {when(d.createdAt)}
        {last && <> · {last.status ? `HTTP ${last.status}` : 'no answer'}</>}
      </summary>
      <p class="muted">
        webhook-id <code>{d.id}</code>
      </p>
      <table class="stacked attempts">
        <caption class="visually-hidden">Every try of this message</caption>
        <thead>
          <tr>
            <th scope="col">Tried</th>
            <th scope="col">Status</th>
            <th scope="col">Took</th>
            <th scope="col">Answer</th>
          </tr>
        </thead>
        <tbody>
          {d.attempts.map((a, i) => (
            <tr key={i}>
              <td>{when(a.attemptedAt)}</td>
              <td data-label="Status">{a.status ?? 'no answer'}</td>
              <td data-label="Took">{a.durationMs} ms</td>
              <td data-label="Answer" class="answer">
                <span class="mono">{a.answer || '—'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canSendAgain && (
        <div class="actions">
          <button type="button" onClick={onSendAgain}>
            Send again
          </button>
        </div>
      )}
    </details>
  );
}
