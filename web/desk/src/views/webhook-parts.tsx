import type { WebhookEndpoint } from '../api/webhooks';
import { ago } from '../format';

/** An endpoint's status in words. */
export function statusText(e: WebhookEndpoint): string {
  if (e.status === 'paused') return `Paused: failing since ${e.failingSince ? ago(e.failingSince) : 'days'}`;
  if (e.status === 'disabled') return 'Paused by an admin';
  return e.failingSince ? `Active, failing since ${ago(e.failingSince)}` : 'Active';
}

/** A signing secret, shown this once: the API never sends it again. */
export function SecretOnce({ url, secret }: { url: string; secret: string }) {
  return (
    <section class="panel secret-once" role="status" aria-labelledby="secret-once">
      <h2 id="secret-once">The signing secret</h2>
      <p>
        For <bdi>{url}</bdi>. Copy it now into the receiver: it is not shown again.
      </p>
      <p>
        <code class="secret">{secret}</code>
      </p>
    </section>
  );
}
