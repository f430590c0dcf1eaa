import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { listedStatusSql } from '../comments/comment-state';
import { sql } from '../database/sql';
import type { Dispatch } from '../deliveries/delivery-queue.service';
import type { OutboxEvent } from '../deliveries/outbox-event';
import { OutboxRelay } from '../deliveries/outbox-relay';
import { Email, Mailer } from '../mail/mailer';
import { NotificationKind } from './email-words';
import { NotificationLinks } from './notification-links';
import { excerptOf, NotificationItem, notificationEmail } from './reader-emails';

interface Candidate {
  kind: NotificationKind;
  commentId: string;
  reason: string | null;
}

/** The log's reason for a rejection, less its bookkeeping ("; resolved 2 report(s)"): the label and the moderator's words. */
export function rejectionReasonOf(reason: string | null | undefined): string | null {
  const shown = (reason ?? '').replace(/(?:^|;\s*)resolved \d+ report\(s\)$/, '').trim();
  return shown === '' ? null : shown;
}

/**
 * What of the outbox's events readers asked to hear of:
 * - a reply (posted visible, or approved after it was held) → the author of the comment it
 *   answers, if they want replies, it is not their own, and its writer is not banned (a banned
 *   reader's words are what moderators keep from readers; a reply no longer listed, rejected or
 *   deleted before the relay came, is one the reader could not see either);
 * - their held comment approved → them; their comment rejected → them, with the reason.
 * One query per batch, in the relay's transaction; an immediate email is queued there too, a
 * digest's item waits in notification_digest_items for the digest sweep.
 */
@Injectable()
export class ReaderFanOut {
  constructor(
    relay: OutboxRelay,
    private readonly mailer: Mailer,
    private readonly links: NotificationLinks,
  ) {
    relay.subscribe((events, manager) => this.fanOut(events, manager));
  }

  async fanOut(events: OutboxEvent[], manager: EntityManager): Promise<Dispatch[]> {
    if (!this.mailer.enabled) return [];
    const candidates = events.flatMap(candidatesOf);
    if (candidates.length === 0) return [];
    const { rows } = await sql<{
      kind: NotificationKind;
      comment_id: string;
      reason: string | null;
      body: string;
      title: string;
      url: string;
      who: string | null;
      user_id: string;
      site_id: number;
      site_name: string;
      frequency: 'immediate' | 'hourly' | 'daily';
      lang: string;
      address: string;
    }>(
      manager,
      `WITH ev AS (SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS e(kind, comment_id, reason, n))
       SELECT ev.kind, ev.comment_id, ev.reason, c.body, a.title, a.url, au.name AS who,
              p.user_id, p.site_id, s.name AS site_name, p.frequency, p.lang, ra.address
       FROM ev
       JOIN comments c ON c.id = ev.comment_id
       JOIN articles a ON a.id = c.article_id
       JOIN users au ON au.id = c.author_id
       LEFT JOIN comments parent ON ev.kind = 'reply' AND parent.id = c.parent_id
       JOIN notification_preferences p ON p.user_id = CASE ev.kind WHEN 'reply' THEN parent.author_id ELSE c.author_id END
       JOIN reader_addresses ra ON ra.user_id = p.user_id
       JOIN sites s ON s.id = p.site_id
       WHERE c.deleted_at IS NULL AND CASE ev.kind
         WHEN 'reply' THEN p.replies AND ${listedStatusSql('c.status')} AND parent.deleted_at IS NULL
           AND parent.author_id <> c.author_id
           AND NOT (au.banned_at IS NOT NULL AND (au.ban_until IS NULL OR au.ban_until > now()))
         WHEN 'approved' THEN p.approved AND c.status = 'approved'
         WHEN 'rejected' THEN p.rejected AND c.status = 'rejected'
       END
       ORDER BY ev.n`,
      [candidates.map((c) => c.kind), candidates.map((c) => c.commentId), candidates.map((c) => c.reason)],
    );
    const emails: Email[] = [];
    const digest: {
      userId: string;
      siteId: number;
      kind: NotificationKind;
      item: NotificationItem;
      frequency: string;
    }[] = [];
    for (const row of rows) {
      const item: NotificationItem = {
        kind: row.kind,
        commentId: row.comment_id,
        articleTitle: row.title,
        articleUrl: row.url,
        who: row.who,
        excerpt: excerptOf(row.body),
        reason: row.reason,
      };
      if (row.frequency !== 'immediate') {
        digest.push({ userId: row.user_id, siteId: row.site_id, kind: row.kind, item, frequency: row.frequency });
        continue;
      }
      const unsubscribeUrl = await this.links.unsubscribeUrl(row.user_id);
      emails.push(
        notificationEmail(
          { siteId: row.site_id, siteName: row.site_name, address: row.address, lang: row.lang, unsubscribeUrl },
          item,
        ),
      );
    }
    if (digest.length > 0)
      await sql(
        manager,
        `INSERT INTO notification_digest_items (user_id, site_id, kind, item, due_at)
         SELECT d.user_id, d.site_id, d.kind, d.item,
                CASE d.frequency WHEN 'hourly' THEN date_trunc('hour', now()) + interval '1 hour'
                                 ELSE date_trunc('day', now()) + interval '1 day' END
         FROM unnest($1::text[], $2::smallint[], $3::text[], $4::jsonb[], $5::text[]) AS d(user_id, site_id, kind, item, frequency)`,
        [
          digest.map((d) => d.userId),
          digest.map((d) => d.siteId),
          digest.map((d) => d.kind),
          digest.map((d) => JSON.stringify(d.item)),
          digest.map((d) => d.frequency),
        ],
      );
    await this.mailer.send(manager, emails);
    return [];
  }
}

function candidatesOf(event: OutboxEvent): Candidate[] {
  const { subject } = event;
  if (subject.targetType !== 'comment') return [];
  const commentId = subject.targetId;
  switch (event.type) {
    case 'comment.posted':
      return subject.toStatus === 'published' || subject.toStatus === 'approved'
        ? [{ kind: 'reply', commentId, reason: null }]
        : [];
    case 'comment.approved':
      // Approving a comment readers already saw tells no one anything new.
      return subject.fromStatus === 'pending'
        ? [
            { kind: 'reply', commentId, reason: null },
            { kind: 'approved', commentId, reason: null },
          ]
        : [];
    case 'comment.rejected':
      return subject.fromStatus === 'rejected'
        ? []
        : [{ kind: 'rejected', commentId, reason: rejectionReasonOf(subject.reason) }];
    default:
      return [];
  }
}
