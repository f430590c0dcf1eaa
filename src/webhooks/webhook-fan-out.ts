import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Dispatch } from '../deliveries/delivery-queue.service';
import { OutboxEvent } from '../deliveries/outbox-event';
import { OutboxRelay } from '../deliveries/outbox-relay';
import { sql } from '../database/sql';
import { WebhookJobData } from './webhook-events';
import { WebhookEventData, WebhookPayload } from './webhook-payload';

interface Row {
  event_id: string;
  endpoint_id: string;
  data: Omit<WebhookEventData, 'eventId' | 'change'>;
}

/**
 * Turns each relayed event into one delivery per active endpoint of its site that subscribed to
 * its type, in one read per batch. The payload is made here, once: what was (the event's own
 * statuses, actor and reason) and the comment, article or user as they are as the event is relayed
 * (a moment later), as a moderator of the site sees them.
 */
@Injectable()
export class WebhookFanOut {
  constructor(relay: OutboxRelay) {
    relay.subscribe((events, manager) => this.dispatches(events, manager));
  }

  async dispatches(events: OutboxEvent[], manager: EntityManager): Promise<Dispatch<WebhookJobData>[]> {
    const { rows } = await sql<Row>(
      manager,
      `WITH ev AS (
         SELECT e.id, e.site_id, e.type, e.subject, e.created_at,
           CASE WHEN e.subject->>'targetType' = 'comment' THEN (e.subject->>'targetId')::uuid END AS comment_id,
           CASE WHEN e.subject->>'targetType' = 'user' THEN e.subject->>'targetId' END AS user_id,
           CASE WHEN e.subject->>'targetType' = 'article' THEN (e.subject->>'targetId')::uuid
                ELSE (e.subject->>'articleId')::uuid END AS article_id
         FROM jsonb_to_recordset($1::jsonb) AS e(id text, site_id smallint, type text, subject jsonb, created_at timestamptz)),
       targeted AS (
         SELECT ev.id, ev.site_id, w.id AS endpoint_id, ev.type, ev.subject, ev.comment_id, ev.user_id, ev.article_id
         -- (An endpoint hears what happened once it existed, not what waited in the outbox before.)
         FROM ev JOIN webhook_endpoints w ON w.site_id = ev.site_id AND w.status = 'active' AND ev.type = ANY (w.events)
           AND w.created_at <= ev.created_at)
       SELECT t.id AS event_id, t.endpoint_id,
         (SELECT jsonb_object_agg(key, value) FROM jsonb_each(jsonb_build_object(
           'site', s.key,
           'actor', CASE WHEN t.subject->'actor'->>'id' IS NOT NULL
             THEN jsonb_build_object('id', t.subject->'actor'->>'id', 'name', actor.name) END,
           'comment', CASE WHEN c.id IS NOT NULL THEN comment_view(c, author.name, NULL, true) END,
           'article', CASE WHEN a.id IS NOT NULL THEN jsonb_build_object(
             'id', a.id, 'url', a.url, 'title', a.title, 'externalId', a.external_id,
             'moderationMode', a.moderation_mode, 'closedAt', json_timestamp(a.closed_at),
             'closedMessage', a.closed_message, 'closeAt', json_timestamp(a.close_at),
             'createdAt', json_timestamp(a.created_at)) END,
           'user', CASE WHEN u.id IS NOT NULL THEN jsonb_build_object(
             'id', u.id, 'name', u.name, 'banned', u.banned_at IS NOT NULL AND (u.ban_until IS NULL OR u.ban_until > now()),
             'bannedAt', json_timestamp(u.banned_at), 'banUntil', json_timestamp(u.ban_until), 'banReason', u.ban_reason,
             'premoderated', u.premod) END,
           'report', CASE WHEN t.type = 'comment.reported' THEN jsonb_build_object(
             'id', t.subject->>'reportId', 'reason', t.subject->>'reason',
             'openReportCount', (t.subject->>'openReportCount')::int) END)) WHERE value <> 'null') AS data
       FROM targeted t
       JOIN sites s ON s.id = t.site_id
       LEFT JOIN users actor ON actor.id = t.subject->'actor'->>'id'
       LEFT JOIN comments c ON c.id = t.comment_id
       LEFT JOIN users author ON author.id = c.author_id
       LEFT JOIN articles a ON a.id = COALESCE(t.article_id, c.article_id)
       LEFT JOIN users u ON u.id = t.user_id
       ORDER BY t.id::bigint, t.endpoint_id`,
      [
        JSON.stringify(
          events.map((e) => ({
            id: e.id,
            site_id: e.siteId,
            type: e.type,
            subject: e.subject,
            created_at: e.createdAt,
          })),
        ),
      ],
    );
    if (rows.length === 0) return [];
    const byId = new Map(events.map((e) => [e.id, e]));
    return rows.map((row) => {
      const event = byId.get(row.event_id)!;
      const payload: WebhookPayload = {
        type: event.type,
        timestamp: new Date(event.subject.createdAt ?? event.createdAt).toISOString(),
        data: {
          eventId: event.id,
          ...row.data,
          change: {
            action: event.subject.action ?? (event.type === 'comment.posted' ? 'post' : 'report'),
            fromStatus: event.subject.fromStatus ?? null,
            toStatus: event.subject.toStatus ?? null,
            reason: event.type === 'comment.reported' ? null : (event.subject.reason ?? null),
          },
        },
      };
      return {
        queue: 'webhook',
        data: {
          siteId: event.siteId,
          endpointId: row.endpoint_id,
          type: event.type,
          payload: JSON.stringify(payload),
        },
      };
    });
  }
}
