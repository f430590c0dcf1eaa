import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { OutboundHttp, OutboundRefused } from '../deliveries/outbound-http';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import type { Site } from '../sites/site.entity';
import { PutSlackSettingsDto } from './dto/slack-settings.dto';
import { SlackSettingsRow, SlackSettingsView } from './slack-settings.view';
import { SLACK_TRIGGERS } from './slack-triggers';

/** A site's Slack alerts: set, changed and removed by its admins, each change in the moderation log. */
@Injectable()
export class SlackSettings {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
    private readonly outbound: OutboundHttp,
    private readonly env: Environment,
  ) {}

  async get(site: Site): Promise<SlackSettingsView> {
    const { rows } = await sql<SlackSettingsRow>(this.dataSource, `SELECT * FROM slack_settings WHERE site_id = $1`, [
      site.id,
    ]);
    return rows[0] ? SlackSettingsView.of(rows[0]) : SlackSettingsView.none();
  }

  /**
   * Sets the URL (when given) and the triggers. A URL must reach a public address over https
   * (http too where DELIVERY_ALLOW_LOOPBACK lets tests and local trials use a receiver on this machine).
   */
  async put(site: Site, dto: PutSlackSettingsDto, actor: AuthUser): Promise<SlackSettingsView> {
    const url = dto.url === undefined ? undefined : await this.checkUrl(dto.url.trim());
    const triggers = SLACK_TRIGGERS.filter((t) => dto.triggers.includes(t));
    return this.transactions.run(async (manager) => {
      const { rows } = await sql<SlackSettingsRow>(
        manager,
        `SELECT * FROM slack_settings WHERE site_id = $1 FOR UPDATE`,
        [site.id],
      );
      const stored = rows[0];
      if (!stored && url === undefined)
        throw AppError.validation('url: a URL is needed to send alerts to Slack', [
          { field: 'url', messages: ['url is required the first time'] },
        ]);
      const changed = [
        ...(url !== undefined && url !== stored?.url ? ['url'] : []),
        ...(!stored || stored.triggers.join() !== triggers.join() ? ['triggers'] : []),
      ];
      if (changed.length === 0) return SlackSettingsView.of(stored);
      const { rows: saved } = await sql<SlackSettingsRow>(
        manager,
        `INSERT INTO slack_settings (site_id, url, triggers, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id) DO UPDATE SET url = EXCLUDED.url, triggers = EXCLUDED.triggers,
           updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING *`,
        [site.id, url ?? stored.url, triggers, actor.id],
      );
      await this.log.record(manager, {
        action: 'update_slack',
        actor,
        targetType: 'site',
        targetId: String(site.id),
        reason: `changed ${changed.join(', ')}${changed.includes('triggers') ? `: ${triggers.join(', ') || 'none'}` : ''}`,
      });
      return SlackSettingsView.of(saved[0]);
    });
  }

  /** Removes the URL and the triggers: the site sends no more alerts (those queued are dropped). */
  async remove(site: Site, actor: AuthUser): Promise<void> {
    await this.transactions.run(async (manager) => {
      const { rowCount } = await sql(manager, `DELETE FROM slack_settings WHERE site_id = $1`, [site.id]);
      if (rowCount === 0) throw AppError.notFound('The Slack settings');
      await this.log.record(manager, {
        action: 'remove_slack',
        actor,
        targetType: 'site',
        targetId: String(site.id),
        reason: 'removed the Slack alerts',
      });
    });
  }

  /** The URL as it will be called (its scheme and host in lower case), or a refusal. */
  private async checkUrl(url: string): Promise<string> {
    try {
      if (!/^https:\/\//i.test(url) && !(this.env.DELIVERY_ALLOW_LOOPBACK === 'on' && /^http:\/\//i.test(url)))
        throw new OutboundRefused('A Slack URL must be https', 'URL_NOT_ALLOWED');
      await this.outbound.check(url);
      return new URL(url).href;
    } catch (error) {
      if (!(error instanceof OutboundRefused)) throw error;
      throw new AppError(400, error.code, `url: ${error.message}`, [{ field: 'url', messages: [error.message] }]);
    }
  }
}
