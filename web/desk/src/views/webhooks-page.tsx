import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { createWebhook, listWebhooks, WEBHOOK_EVENTS, type WebhookEndpoint, type WebhookEvent } from '../api/webhooks';
import { announcement } from '../decisions';
import { ago, count } from '../format';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { href, route } from '../router';
import { isAdminHere, pageSite } from '../site-choice';
import { SecretOnce, statusText } from './webhook-parts';
import { WebhookDetail } from './webhook-detail';

const WEBHOOK_FIELDS = { url: { label: 'URL' }, description: { label: 'Description' }, events: { label: 'Events' } };

/** The site's webhooks (`#/webhooks`), or one endpoint with its delivery log (`#/webhooks/<id>`). */
export function WebhooksPage() {
  const id = route.value.parts[0];
  const heading = usePageHeading(id ? 'Webhook' : 'Webhooks');
  if (!isAdminHere())
    return (
      <>
        <h1 tabIndex={-1} ref={heading}>
          Webhooks
        </h1>
        <p class="panel" role="alert">
          Only administrators can manage webhooks.
        </p>
      </>
    );
  return id ? <WebhookDetail key={id} id={id} heading={heading} /> : <WebhookList heading={heading} />;
}

function WebhookList({ heading }: { heading: ReturnType<typeof usePageHeading> }) {
  const endpoints = useSignal<WebhookEndpoint[] | null>(null);
  const problem = useSignal<string | null>(null);
  const reload = () =>
    listWebhooks().then(
      (found) => (endpoints.value = found.items),
      (error) => (problem.value = problemText(error)),
    );
  useEffect(() => void reload(), [pageSite.value]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Webhooks
      </h1>
      <p class="muted">
        Each endpoint is sent the events it subscribes to, signed per Standard Webhooks, and tried again for about three
        days until it answers. An endpoint that fails for five days without a success is paused, and the log says so.
      </p>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {endpoints.value?.length === 0 && <p class="muted">No webhooks on this site yet.</p>}
      {endpoints.value && endpoints.value.length > 0 && (
        <table class="stacked endpoints">
          <caption class="visually-hidden">This site’s webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">Last delivered</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.value.map((e) => (
              <tr key={e.id}>
                <td class="url-cell">
                  <a href={href('webhooks', [e.id])}>
                    <bdi>{e.url}</bdi>
                  </a>
                  {e.description && <div class="muted">{e.description}</div>}
                </td>
                <td data-label="Events">{count(e.events.length, 'event', 'events')}</td>
                <td data-label="Status">{statusText(e)}</td>
                <td data-label="Last delivered">{e.lastSuccessAt ? ago(e.lastSuccessAt) : 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!endpoints.value && !problem.value && <p class="loading">Loading…</p>}
      <NewWebhook onAdded={reload} />
    </>
  );
}

function NewWebhook({ onAdded }: { onAdded: () => void }) {
  const draft = useSignal<{ url: string; description: string; events: WebhookEvent[] }>({
    url: '',
    description: '',
    events: [],
  });
  const errors = useSignal<FieldErrors>({});
  const refusal = useSignal<string | null>(null);
  const busy = useSignal(false);
  const secret = useSignal<{ url: string; secret: string } | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const add = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    refusal.value = null;
    const d = draft.value;
    try {
      const made = await createWebhook({
        url: d.url.trim(),
        events: d.events,
        ...(d.description.trim() ? { description: d.description.trim() } : {}),
      });
      secret.value = { url: made.url, secret: made.secret };
      draft.value = { url: '', description: '', events: [] };
      announcement.value = { text: `Webhook added. Copy its secret now: it is not shown again.` };
      onAdded();
    } catch (error) {
      errors.value = fieldErrors(error);
      refusal.value =
        new Fields('webhook', errors.value, WEBHOOK_FIELDS).refusal(error, Object.keys(WEBHOOK_FIELDS), 'Not added') ??
        null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const d = draft.value;
  const f = new Fields('webhook', errors.value, WEBHOOK_FIELDS);
  const set = (change: Partial<typeof d>) => (draft.value = { ...draft.value, ...change });
  const toggle = (type: WebhookEvent, on: boolean) =>
    set({ events: on ? [...d.events, type] : d.events.filter((e) => e !== type) });
  return (
    <>
      {secret.value && <SecretOnce url={secret.value.url} secret={secret.value.secret} />}
      <form ref={form} class="panel stack" aria-labelledby="new-webhook" onSubmit={add} noValidate>
        <h2 id="new-webhook">Add a webhook</h2>
        <label for="webhook-url">URL (where the events are sent; a public address)</label>
        <input
          id="webhook-url"
          type="url"
          required
          maxLength={2000}
          spellcheck={false}
          placeholder="https://hooks.example/comments"
          value={d.url}
          onInput={(e) => set({ url: e.currentTarget.value })}
          {...f.control('url')}
        />
        {f.message('url')}
        <label for="webhook-description">Description (optional)</label>
        <input
          id="webhook-description"
          maxLength={500}
          value={d.description}
          onInput={(e) => set({ description: e.currentTarget.value })}
          {...f.control('description')}
        />
        {f.message('description')}
        <fieldset class="event-choices" aria-describedby={f.control('events')['aria-describedby']}>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map(({ group, events }) => (
            <fieldset key={group}>
              <legend>{group}</legend>
              {events.map(([type, label]) => (
                <label class="check" key={type}>
                  <input
                    type="checkbox"
                    checked={d.events.includes(type)}
                    onChange={(e) => toggle(type, e.currentTarget.checked)}
                  />{' '}
                  {label} <code class="muted">{type}</code>
                </label>
              ))}
            </fieldset>
          ))}
        </fieldset>
        {f.message('events')}
        <FormFooter problem={refusal.value} busy={busy.value} save="Add webhook" />
      </form>
    </>
  );
}
