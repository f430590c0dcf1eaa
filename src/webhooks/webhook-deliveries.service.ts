import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeliveryQueue } from '../deliveries/delivery-queue.service';
import { QUEUE_SCHEMA } from '../deliveries/delivery-queues';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import type { Site } from '../sites/site.entity';
import { TEST_EVENT_TYPE, WebhookJobData } from './webhook-events';
import { WebhookPayload } from './webhook-payload';
import { EndpointRow, WebhookAttemptView, WebhookDeliveryView } from './webhook.views';

interface DeliveryRow {
  id: string;
  event_type: string;
  payload: string;
  created_at: Date;
  delivered_at: Date | null;
  job_state: string | null;
  attempts: WebhookAttemptView[];
}

const STATE_OF_JOB: Record<string, WebhookDeliveryView['state']> = {
  created: 'waiting',
  active: 'waiting',
  retry: 'retrying',
  failed: 'dead',
  completed: 'delivered',
};

/** What was sent to an endpoint and how each try went; a test message; sending one again. */
@Injectable()
export class WebhookDeliveries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly queue: DeliveryQueue,
  ) {}

  /** The endpoint's newest messages, each with every try (listed from their first turn in the queue). */
  async list(endpoint: EndpointRow, limit: number): Promise<WebhookDeliveryView[]> {
    const { rows } = await sql<DeliveryRow>(
      this.dataSource,
      `SELECT d.id, d.event_type, d.payload, d.created_at, d.delivered_at, j.state AS job_state,
         coalesce((SELECT jsonb_agg(jsonb_build_object('attemptedAt', json_timestamp(a.attempted_at), 'status', a.status,
             'ok', a.ok, 'answer', a.answer, 'durationMs', a.duration_ms) ORDER BY a.id)
           FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
       FROM webhook_deliveries d LEFT JOIN ${QUEUE_SCHEMA}.job j ON j.name = 'webhook' AND j.id = d.id
       WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.id LIMIT $2`,
      [endpoint.id, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      type: row.event_type,
      state: row.delivered_at ? 'delivered' : row.job_state ? (STATE_OF_JOB[row.job_state] ?? 'unknown') : 'unknown',
      payload: JSON.parse(row.payload) as WebhookPayload,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
      attempts: row.attempts,
    }));
  }

  /** Queues a webhook.test message to the endpoint (sent even while it is paused); answers its webhook-id. */
  async sendTest(site: Site, endpoint: EndpointRow): Promise<string> {
    const id = randomUUID();
    const test: WebhookPayload = {
      type: TEST_EVENT_TYPE,
      timestamp: new Date().toISOString(),
      data: {
        eventId: `test-${id}`,
        site: site.key,
        change: { action: 'test', fromStatus: null, toStatus: null, reason: null },
      },
    };
    const payload = JSON.stringify(test);
    return this.queueMessage(
      { siteId: site.id, endpointId: endpoint.id, type: TEST_EVENT_TYPE, payload, asked: true },
      id,
    );
  }

  /**
   * Sends a message again: a dead letter is given one more try under its own webhook-id; any other
   * (delivered, or no longer in the queue) is sent as a new message with the same body and a new
   * webhook-id, which the receiver will not take for a repeat. One still being tried is a conflict.
   */
  async resend(site: Site, endpoint: EndpointRow, deliveryId: string): Promise<string> {
    const { rows } = await sql<{ event_type: string; payload: string; delivered: boolean; job_state: string | null }>(
      this.dataSource,
      `SELECT d.event_type, d.payload, d.delivered_at IS NOT NULL AS delivered, j.state AS job_state
       FROM webhook_deliveries d LEFT JOIN ${QUEUE_SCHEMA}.job j ON j.name = 'webhook' AND j.id = d.id
       WHERE d.id = $1 AND d.endpoint_id = $2`,
      [deliveryId, endpoint.id],
    );
    const delivery = rows[0];
    if (!delivery) throw AppError.notFound('The delivery');
    if (!delivery.delivered && delivery.job_state === 'failed' && (await this.queue.retry('webhook', deliveryId)))
      return deliveryId;
    if (!delivery.delivered && delivery.job_state !== null && delivery.job_state !== 'failed')
      throw AppError.conflict('This delivery is still being tried');
    return this.queueMessage({
      siteId: site.id,
      endpointId: endpoint.id,
      type: delivery.event_type,
      payload: delivery.payload,
      asked: true,
    });
  }

  private async queueMessage(data: WebhookJobData, id = randomUUID()): Promise<string> {
    await this.transactions.run((manager) => this.queue.send(manager, [{ queue: 'webhook', id, data }]));
    return id;
  }
}
