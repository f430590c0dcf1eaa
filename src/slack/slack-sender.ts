import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { DeliveryJob, DeliveryQueue } from '../deliveries/delivery-queue.service';
import { OutboundHttp } from '../deliveries/outbound-http';
import { RetryLater, retryAfterSeconds } from '../deliveries/retry-later';
import type { SlackDelivery } from './slack-alerts';

const TIMEOUT_MS = 10_000;

/**
 * Posts the queued alerts to each site's channel, to the URL set when it is sent (so a corrected
 * URL serves the retries and the dead letters sent again). A 2xx answer delivered it; a site that
 * removed its Slack alerts since has nothing to deliver.
 */
@Injectable()
export class SlackSender implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: DeliveryQueue,
    private readonly outbound: OutboundHttp,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): Promise<void> | void {
    if (this.env.DELIVERIES === 'on') return this.queue.work<SlackDelivery>('slack', (job) => this.deliver(job));
  }

  private async deliver(job: DeliveryJob<SlackDelivery>): Promise<void> {
    const { rows } = await sql<{ url: string }>(this.dataSource, `SELECT url FROM slack_settings WHERE site_id = $1`, [
      job.data.siteId,
    ]);
    if (!rows[0]) return;
    const answer = await this.outbound.post({
      url: rows[0].url,
      body: JSON.stringify(job.data.message),
      headers: {},
      timeoutMs: TIMEOUT_MS,
    });
    if (answer.status >= 200 && answer.status < 300) return;
    const message = `Slack answered ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ''}`;
    const later = answer.status === 429 || answer.status === 503 ? retryAfterSeconds(answer.retryAfter) : undefined;
    throw later === undefined ? new Error(message) : new RetryLater(message, later);
  }
}
