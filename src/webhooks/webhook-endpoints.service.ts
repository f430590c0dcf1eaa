import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { OutboundHttp, OutboundRefused } from '../deliveries/outbound-http';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import type { Site } from '../sites/site.entity';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook-endpoint.dto';
import { PREVIOUS_SECRET_HOURS } from './webhook-events';
import { newSecret } from './webhook-signature';
import { EndpointRow } from './webhook.views';

/**
 * A site's webhook endpoints as its admins manage them. Every change is in the moderation log
 * (as a change of the site), naming the endpoint by its URL, never by a secret.
 */
@Injectable()
export class WebhookEndpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
    private readonly outbound: OutboundHttp,
  ) {}

  async list(site: Site): Promise<EndpointRow[]> {
    const { rows } = await sql<EndpointRow>(
      this.dataSource,
      `SELECT * FROM webhook_endpoints WHERE site_id = $1 ORDER BY created_at, id`,
      [site.id],
    );
    return rows;
  }

  /** The site's endpoint; another site's (or none) is 404. */
  async get(site: Site, id: string, manager?: EntityManager, lock = false): Promise<EndpointRow> {
    const { rows } = await sql<EndpointRow>(
      manager ?? this.dataSource,
      `SELECT * FROM webhook_endpoints WHERE id = $1 AND site_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, site.id],
    );
    if (!rows[0]) throw AppError.notFound('The webhook endpoint');
    return rows[0];
  }

  async create(site: Site, dto: CreateWebhookDto, actor: AuthUser): Promise<EndpointRow> {
    await this.mustBeReachable(dto.url);
    return this.transactions.run(async (manager) => {
      const { rows } = await sql<EndpointRow>(
        manager,
        `INSERT INTO webhook_endpoints (site_id, url, description, events, secret) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [site.id, dto.url, dto.description ?? '', dto.events, newSecret()],
      );
      await this.record(manager, site, actor, 'add_webhook', rows[0].url);
      return rows[0];
    });
  }

  async update(site: Site, id: string, dto: UpdateWebhookDto, actor: AuthUser): Promise<EndpointRow> {
    if (dto.url !== undefined) await this.mustBeReachable(dto.url);
    return this.transactions.run(async (manager) => {
      const stored = await this.get(site, id, manager, true);
      const { rows } = await sql<EndpointRow>(
        manager,
        `UPDATE webhook_endpoints SET url = $2, description = $3, events = $4, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, dto.url ?? stored.url, dto.description ?? stored.description, dto.events ?? stored.events],
      );
      await this.record(manager, site, actor, 'change_webhook', rows[0].url);
      return rows[0];
    });
  }

  /** Removes the endpoint with its delivery log; what waits for it in the queue is dropped when its turn comes. */
  async remove(site: Site, id: string, actor: AuthUser): Promise<void> {
    await this.transactions.run(async (manager) => {
      const stored = await this.get(site, id, manager, true);
      await sql(manager, `DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
      await this.record(manager, site, actor, 'remove_webhook', stored.url);
    });
  }

  /** A new secret signs from now on; the one it replaces signs beside it for PREVIOUS_SECRET_HOURS more. */
  async rotate(site: Site, id: string, actor: AuthUser): Promise<EndpointRow> {
    return this.transactions.run(async (manager) => {
      await this.get(site, id, manager, true);
      const { rows } = await sql<EndpointRow>(
        manager,
        `UPDATE webhook_endpoints SET previous_secret = secret, secret = $2,
           previous_secret_until = now() + make_interval(hours => $3), updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, newSecret(), PREVIOUS_SECRET_HOURS],
      );
      await this.record(manager, site, actor, 'rotate_webhook_secret', rows[0].url);
      return rows[0];
    });
  }

  /** An admin's pause ('disabled'): nothing is sent to it until resumed. */
  async pause(site: Site, id: string, actor: AuthUser): Promise<EndpointRow> {
    return this.setStatus(site, id, actor, 'disabled', 'pause_webhook');
  }

  /** Active again, whether an admin or failures paused it; its failures so far are forgotten. */
  async resume(site: Site, id: string, actor: AuthUser): Promise<EndpointRow> {
    return this.setStatus(site, id, actor, 'active', 'resume_webhook');
  }

  private async setStatus(
    site: Site,
    id: string,
    actor: AuthUser,
    status: 'active' | 'disabled',
    action: string,
  ): Promise<EndpointRow> {
    return this.transactions.run(async (manager) => {
      const stored = await this.get(site, id, manager, true);
      if (stored.status === status) return stored;
      const { rows } = await sql<EndpointRow>(
        manager,
        `UPDATE webhook_endpoints SET status = $2::text,
           paused_at = CASE WHEN $2::text = 'active' THEN NULL ELSE now() END,
           failing_since = CASE WHEN $2::text = 'active' THEN NULL ELSE failing_since END, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, status],
      );
      await this.record(manager, site, actor, action, stored.url);
      return rows[0];
    });
  }

  /** Refuses a URL that does not lead to a public address (400, URL_NOT_ALLOWED or ADDRESS_NOT_PUBLIC). */
  private async mustBeReachable(url: string): Promise<void> {
    try {
      await this.outbound.check(url);
    } catch (error) {
      if (!(error instanceof OutboundRefused)) throw error;
      throw new AppError(400, error.code, `url: ${error.message}`, [{ field: 'url', messages: [error.message] }]);
    }
  }

  private record(manager: EntityManager, site: Site, actor: AuthUser, action: string, url: string) {
    return this.log.record(manager, { action, actor, targetType: 'site', targetId: String(site.id), reason: url });
  }
}
