import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Repeating } from '../common/repeating';
import { Environment } from '../config/environment';
import { DeliveryJob, DeliveryQueue } from '../deliveries/delivery-queue.service';
import { OutboundAnswer, OutboundHttp } from '../deliveries/outbound-http';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { ModerationLog } from '../journal/moderation-log.service';
import { DELIVERY_LOG_DAYS, DELIVERY_TIMEOUT_MS, PAUSE_AFTER_FAILING_DAYS, WebhookJobData } from './webhook-events';
import { signedHeaders } from './webhook-signature';
import { EndpointRow } from './webhook.views';

const ANSWER_CHARS = 1024;
const SWEEP_MS = 3600_000;

/**
 * The 'webhook' queue's worker: signs each message with the endpoint's secrets (as they are at
 * this try), POSTs it with a 10 s timeout, and writes down how it went. A 2xx answer delivers it;
 * anything else is a failed try that the queue repeats later, under the same webhook-id.
 * An endpoint that has had no success for PAUSE_AFTER_FAILING_DAYS while failing is paused, and
 * the moderation log says so (action pause_webhook, no actor): its admins see it on the desk.
 */
@Injectable()
export class WebhookSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  /** The delivery log's retention: swept at start and every hour (sweep() says what failed). */
  private readonly retention = new Repeating(() => this.sweep(), { after: () => SWEEP_MS, afterError: () => SWEEP_MS });

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly queue: DeliveryQueue,
    private readonly outbound: OutboundHttp,
    private readonly log: ModerationLog,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.DELIVERIES !== 'on') return;
    await this.queue.work<WebhookJobData>('webhook', (job) => this.deliver(job));
    this.retention.start(0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.retention.stop();
  }

  async deliver(job: DeliveryJob<WebhookJobData>): Promise<void> {
    const { endpointId, siteId, type, payload, asked } = job.data;
    const { rows } = await sql<EndpointRow & { signing_previous: boolean }>(
      this.dataSource,
      `SELECT *, previous_secret IS NOT NULL AND previous_secret_until > now() AS signing_previous
       FROM webhook_endpoints WHERE id = $1`,
      [endpointId],
    );
    const endpoint = rows[0];
    // Removed since: nobody to send it to.
    if (!endpoint) return;
    // In the log from its first turn, sent or not: a message that waits out a pause may be sent again.
    await sql(
      this.dataSource,
      `INSERT INTO webhook_deliveries (id, site_id, endpoint_id, event_type, payload) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [job.id, siteId, endpointId, type, payload],
    );
    if (endpoint.status !== 'active' && !asked) throw new Error('Not sent: the endpoint is paused');
    const secrets = [endpoint.secret, ...(endpoint.signing_previous ? [endpoint.previous_secret!] : [])];
    const started = Date.now();
    let answer: OutboundAnswer | undefined;
    let failure: string | undefined;
    try {
      answer = await this.outbound.post({
        url: endpoint.url,
        body: payload,
        headers: signedHeaders(job.id, new Date(), payload, secrets),
        // Within the queue's expiry, so that a slow receiver is not sent the same message again meanwhile.
        timeoutMs: Math.min(DELIVERY_TIMEOUT_MS, (this.env.DELIVERY_EXPIRE_SECONDS - 2) * 1000),
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const ok = answer !== undefined && answer.status >= 200 && answer.status < 300;
    await this.record(job.id, endpoint, {
      status: answer?.status ?? null,
      ok,
      answer: (answer?.body ?? failure ?? '').slice(0, ANSWER_CHARS),
      durationMs: Date.now() - started,
    });
    if (!ok) throw new Error(answer ? `The endpoint answered ${answer.status}` : `Not delivered: ${failure}`);
  }

  private async record(
    deliveryId: string,
    endpoint: EndpointRow,
    attempt: { status: number | null; ok: boolean; answer: string; durationMs: number },
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      // The endpoint first, as its removal locks it before its deliveries: no deadlock between them.
      const { rows: locked } = await sql(manager, `SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR UPDATE`, [
        endpoint.id,
      ]);
      if (!locked[0]) return;
      await sql(
        manager,
        `WITH tried AS (INSERT INTO webhook_attempts (delivery_id, site_id, status, ok, answer, duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6))
         UPDATE webhook_deliveries SET attempts = attempts + 1,
           delivered_at = CASE WHEN $4 THEN coalesce(delivered_at, now()) ELSE delivered_at END
         WHERE id = $1`,
        [deliveryId, endpoint.site_id, attempt.status, attempt.ok, attempt.answer, attempt.durationMs],
      );
      const { rows } = await sql<{ paused: boolean; url: string }>(
        manager,
        `WITH before AS (SELECT id, status FROM webhook_endpoints WHERE id = $1)
         UPDATE webhook_endpoints w SET
           last_success_at = CASE WHEN $2 THEN now() ELSE w.last_success_at END,
           last_failure_at = CASE WHEN $2 THEN w.last_failure_at ELSE now() END,
           failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(w.failing_since, now()) END,
           status = CASE WHEN NOT $2 AND w.status = 'active' AND w.failing_since <= now() - make_interval(days => $3)
             THEN 'paused' ELSE w.status END,
           paused_at = CASE WHEN NOT $2 AND w.status = 'active' AND w.failing_since <= now() - make_interval(days => $3)
             THEN now() ELSE w.paused_at END
         FROM before WHERE w.id = before.id
         RETURNING before.status = 'active' AND w.status = 'paused' AS paused, w.url`,
        [endpoint.id, attempt.ok, PAUSE_AFTER_FAILING_DAYS],
      );
      if (rows[0]?.paused) {
        this.logger.warn(`Paused the webhook endpoint ${rows[0].url}: no success for ${PAUSE_AFTER_FAILING_DAYS} days`);
        await this.log.record(manager, {
          action: 'pause_webhook',
          actor: null,
          targetType: 'site',
          targetId: String(endpoint.site_id),
          reason: `${rows[0].url}: failing for ${PAUSE_AFTER_FAILING_DAYS} days without a success`,
        });
      }
    });
  }

  /** Forgets what was sent more than DELIVERY_LOG_DAYS ago (with its tries). */
  async sweep(): Promise<number> {
    try {
      const { rowCount } = await sql(
        this.dataSource,
        `DELETE FROM webhook_deliveries WHERE created_at < now() - make_interval(days => $1)`,
        [DELIVERY_LOG_DAYS],
      );
      return rowCount;
    } catch (error) {
      this.logger.warn(`Sweeping the webhook delivery log failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
