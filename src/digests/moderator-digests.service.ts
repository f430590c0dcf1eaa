import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { sitesWhere } from '../auth/site-access';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { Mailer } from '../mail/mailer';
import { UsersService } from '../users/users.service';
import { confirmEmail, digestEmail, WaitingOnSite } from './digest.words';
import { DigestChoiceDto, DigestView } from './dto/digest.dto';

const hash = (token: string) => createHash('sha256').update(token).digest();

/** Digests claimed and sent in one sweep's transaction at most: the rest wait for the next sweep. */
const SWEEP_BATCH = 200;

interface DigestRow {
  user_id: string;
  site_id: number;
  frequency: 'hourly' | 'daily';
  address: string;
  confirmed_at: Date | null;
  site_ids: number[];
  console_url: string;
}

/**
 * Moderators' digests of their queues, by their choice (off by default; hourly or daily): the
 * address they give is confirmed by a link before anything is sent, and a sweep on every
 * instance claims the digests that are due (each once, whichever instance claims it) and queues
 * their emails in the same transaction.
 */
@Injectable()
export class ModeratorDigests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly mailer: Mailer,
    private readonly users: UsersService,
  ) {}

  async view(user: AuthUser): Promise<DigestView> {
    const { rows } = await sql<DigestRow>(this.dataSource, `SELECT * FROM moderator_digests WHERE user_id = $1`, [
      user.id,
    ]);
    const row = rows[0];
    const available = this.mailer.enabled;
    return row
      ? { frequency: row.frequency, address: row.address, confirmed: row.confirmed_at !== null, available }
      : { frequency: 'off', address: null, confirmed: false, available };
  }

  /** `consoleUrl`: the console as the moderator reaches it; `confirmUrl`: the confirmation link without its token. */
  async choose(user: AuthUser, dto: DigestChoiceDto, consoleUrl: string, confirmUrl: string): Promise<DigestView> {
    if (dto.frequency === 'off') {
      await sql(this.dataSource, `DELETE FROM moderator_digests WHERE user_id = $1`, [user.id]);
      return this.view(user);
    }
    if (!this.mailer.enabled) throw AppError.notFound('Email (this installation sends none)');
    const address = dto.address!;
    const token = randomBytes(32).toString('base64url');
    const sites = sitesWhere(user, 'moderator');
    await this.transactions.run(async (manager) => {
      await this.users.see(manager, { id: user.id, name: user.name, siteId: user.siteId });
      // The same address keeps its confirmation; another is confirmed again.
      const { rows } = await sql<{ confirming: boolean }>(
        manager,
        `INSERT INTO moderator_digests AS d (user_id, site_id, frequency, address, confirm_hash, site_ids, console_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET
           frequency = EXCLUDED.frequency, site_ids = EXCLUDED.site_ids, console_url = EXCLUDED.console_url,
           address = EXCLUDED.address, updated_at = now(),
           confirm_hash = CASE WHEN lower(d.address) = lower(EXCLUDED.address) THEN d.confirm_hash ELSE EXCLUDED.confirm_hash END,
           confirmed_at = CASE WHEN lower(d.address) = lower(EXCLUDED.address) THEN d.confirmed_at END
         RETURNING confirm_hash = $5 AS confirming`,
        [user.id, user.siteId, dto.frequency, address, hash(token), sites, consoleUrl],
      );
      if (rows[0].confirming)
        await this.mailer.send(manager, [
          { siteId: user.siteId, to: address, ...confirmEmail(`${confirmUrl}?token=${token}`) },
        ]);
    });
    return this.view(user);
  }

  async confirm(token: string): Promise<void> {
    const done = await sql(
      this.dataSource,
      `UPDATE moderator_digests SET confirmed_at = now(), confirm_hash = NULL WHERE confirm_hash = $1`,
      [hash(token)],
    );
    if (done.rowCount !== 1) throw AppError.notFound('This confirmation link (it was used, or the address changed)');
  }

  /** Queues the digests that are due; how many were sent (a moderator with nothing waiting is skipped until next time). */
  async sweep(): Promise<number> {
    if (!this.mailer.enabled) return 0;
    return this.transactions.run(async (manager) => {
      const { rows: due } = await sql<DigestRow>(
        manager,
        `WITH due AS (
           SELECT user_id FROM moderator_digests
           WHERE confirmed_at IS NOT NULL
             AND (last_sent_at IS NULL OR last_sent_at <= now() - CASE frequency WHEN 'hourly' THEN interval '1 hour' ELSE interval '1 day' END)
           ORDER BY last_sent_at NULLS FIRST LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE moderator_digests d SET last_sent_at = now() FROM due WHERE d.user_id = due.user_id
         RETURNING d.user_id, d.site_id, d.frequency, d.address, d.console_url,
           -- The sites they still moderate: their own login's, or granted (a revoked grant drops out).
           ARRAY(SELECT unnest(d.site_ids) INTERSECT
                 (SELECT d.site_id UNION SELECT m.site_id FROM site_members m WHERE m.user_id = d.user_id)) AS site_ids`,
        [SWEEP_BATCH],
      );
      if (due.length === 0) return 0;
      const waiting = await this.waiting(manager, [...new Set(due.flatMap((d) => d.site_ids))]);
      const emails = due.flatMap((digest) => {
        const sites = digest.site_ids
          .map((id) => waiting.get(id))
          .filter((s): s is WaitingOnSite => !!s && s.pending + s.reported + s.unmoderated > 0);
        if (sites.length === 0) return [];
        return [
          { siteId: digest.site_id, to: digest.address, ...digestEmail(digest.console_url, sites, digest.frequency) },
        ];
      });
      await this.mailer.send(manager, emails);
      return emails.length;
    });
  }

  /** What waits on each site: one query over the articles' counters. */
  private async waiting(manager: EntityManager, siteIds: number[]): Promise<Map<number, WaitingOnSite>> {
    const { rows } = await sql<WaitingOnSite & { id: number }>(
      manager,
      `SELECT s.id, s.key, s.name,
              COALESCE(sum(a.count_pending), 0)::int AS pending,
              COALESCE(sum(a.count_reported), 0)::int AS reported,
              COALESCE(sum(a.count_published), 0)::int AS unmoderated
       FROM sites s LEFT JOIN articles a ON a.site_id = s.id
       WHERE s.id = ANY($1::smallint[]) GROUP BY s.id ORDER BY s.id`,
      [siteIds],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }
}
