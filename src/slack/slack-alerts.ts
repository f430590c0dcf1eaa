import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Environment, publicUrl } from '../config/environment';
import { sql } from '../database/sql';
import { Dispatch } from '../deliveries/delivery-queue.service';
import { OutboxEvent } from '../deliveries/outbox-event';
import { OutboxRelay } from '../deliveries/outbox-relay';
import { AlertFacts, SlackMessage, slackMessage } from './slack-message';
import { SlackTrigger } from './slack-triggers';

/** A Slack alert as queued: the whole message, so that a retry sends what the event meant to say. */
export interface SlackDelivery {
  siteId: number;
  trigger: SlackTrigger;
  commentId: string;
  message: SlackMessage;
}

interface AlertRow {
  i: number;
  triggers: SlackTrigger[];
  site_key: string;
  site_name: string;
  report_threshold: number;
  body: string;
  author_id: string;
  author_name: string | null;
  title: string;
  url: string;
  granted_role: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALERTED = new Set(['comment.held', 'comment.reported', 'comment.posted']);

/**
 * Turns the outbox's events into Slack alerts, for the sites that set them up: a comment held,
 * reported, or brought to the report threshold by a report (one alert for that report: the
 * threshold's, when both are on), and a comment posted by staff. Staff are those whose post was
 * approved as it was made (only a moderator's or admin's post is, by the rules that decide a post),
 * and those granted a role on the site. One query per batch of events.
 */
@Injectable()
export class SlackAlerts {
  constructor(
    relay: OutboxRelay,
    private readonly env: Environment,
  ) {
    relay.subscribe((events, manager) => this.fanOut(events, manager));
  }

  private get publicUrl(): string {
    return publicUrl(this.env);
  }

  async fanOut(events: OutboxEvent[], manager: EntityManager): Promise<Dispatch<SlackDelivery>[]> {
    const candidates = events.filter(
      (e) => ALERTED.has(e.type) && e.subject.targetType === 'comment' && UUID.test(e.subject.targetId),
    );
    if (candidates.length === 0) return [];
    const { rows } = await sql<AlertRow>(
      manager,
      `SELECT e.i, s.triggers, site.key AS site_key, site.name AS site_name, ms.report_threshold,
         c.body, c.author_id, u.name AS author_name, a.title, a.url, m.role AS granted_role
       FROM unnest($1::int[], $2::smallint[], $3::uuid[]) AS e(i, site_id, comment_id)
       JOIN slack_settings s ON s.site_id = e.site_id AND cardinality(s.triggers) > 0
       JOIN sites site ON site.id = e.site_id
       JOIN moderation_settings ms ON ms.id = e.site_id
       JOIN comments c ON c.id = e.comment_id AND c.deleted_at IS NULL
       JOIN articles a ON a.id = c.article_id
       LEFT JOIN users u ON u.id = c.author_id
       LEFT JOIN site_members m ON m.site_id = e.site_id AND m.user_id = c.author_id`,
      [candidates.map((_, i) => i), candidates.map((e) => e.siteId), candidates.map((e) => e.subject.targetId)],
    );
    return rows.flatMap((row) => {
      const event = candidates[row.i];
      const alert = this.alertOf(event, row);
      if (!alert) return [];
      return [
        {
          queue: 'slack',
          data: {
            siteId: event.siteId,
            trigger: alert.trigger,
            commentId: event.subject.targetId,
            message: slackMessage(alert, this.publicUrl),
          },
        },
      ];
    });
  }

  private alertOf(event: OutboxEvent, row: AlertRow): AlertFacts | undefined {
    const on = (trigger: SlackTrigger) => row.triggers.includes(trigger);
    const facts = {
      siteKey: row.site_key,
      siteName: row.site_name,
      commentId: event.subject.targetId,
      body: row.body,
      authorId: row.author_id,
      authorName: row.author_name,
      articleTitle: row.title,
      articleUrl: row.url,
      reason: event.subject.reason ?? null,
    };
    switch (event.type) {
      case 'comment.held':
        return on('held') ? { ...facts, trigger: 'held' } : undefined;
      case 'comment.reported': {
        const count = Number(event.subject.openReportCount);
        const reports = { openReportCount: count, reportThreshold: row.report_threshold };
        if (on('report_threshold') && count === row.report_threshold)
          return { ...facts, ...reports, trigger: 'report_threshold' };
        return on('reported') ? { ...facts, ...reports, trigger: 'reported' } : undefined;
      }
      case 'comment.posted': {
        const staff = event.subject.toStatus === 'approved' || row.granted_role !== null;
        return staff && on('staff_post') ? { ...facts, trigger: 'staff_post', role: row.granted_role } : undefined;
      }
      default:
        return undefined;
    }
  }
}
