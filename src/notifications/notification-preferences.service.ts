import { HttpStatus, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { Mailer } from '../mail/mailer';
import { SitesDirectory } from '../sites/sites.directory';
import { NotificationAddressDto, NotificationPreferencesDto } from './dto/notifications.dto';
import { AddressConfirmationView, NotificationSettingsView } from './dto/notifications.views';
import { emailLanguage } from './email-words';
import { hashOf, newConfirmationToken, NotificationLinks } from './notification-links';
import { keepAddress } from './reader-addresses';
import { confirmationEmail } from './reader-emails';

const CONFIRMATION_HOURS = 48;
/** Confirmation emails a reader may ask for in an hour: each goes to an address nobody vouched for yet. */
const CONFIRMATIONS_PER_HOUR = 5;

/** The reader's own choices: what they are told of, how often, and where. */
@Injectable()
export class NotificationPreferences {
  constructor(
    private readonly transactions: Transactions,
    private readonly mailer: Mailer,
    private readonly links: NotificationLinks,
    private readonly sites: SitesDirectory,
  ) {}

  async get(user: AuthUser): Promise<NotificationSettingsView> {
    return this.transactions.run(async (m) => {
      await this.see(m, user);
      return this.read(m, user);
    });
  }

  async put(user: AuthUser, dto: NotificationPreferencesDto): Promise<NotificationSettingsView> {
    if (!this.mailer.enabled && (dto.replies || dto.approved || dto.rejected))
      throw new AppError(HttpStatus.CONFLICT, 'EMAIL_UNAVAILABLE', 'This installation sends no email');
    return this.transactions.run(async (m) => {
      await this.see(m, user);
      await sql(
        m,
        `INSERT INTO notification_preferences (user_id, site_id, replies, approved, rejected, frequency, lang)
         VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, 'en'))
         ON CONFLICT (user_id) DO UPDATE SET replies = $3, approved = $4, rejected = $5, frequency = $6,
           lang = COALESCE($7, notification_preferences.lang), updated_at = now()`,
        [user.id, user.siteId, dto.replies, dto.approved, dto.rejected, dto.frequency, dto.lang ?? null],
      );
      return this.read(m, user);
    });
  }

  /** An address the reader gives: used at once if the site verified it, else a link to confirm it is sent there. */
  async giveAddress(user: AuthUser, dto: NotificationAddressDto): Promise<AddressConfirmationView> {
    if (!this.mailer.enabled)
      throw new AppError(HttpStatus.CONFLICT, 'EMAIL_UNAVAILABLE', 'This installation sends no email');
    const address = dto.address.trim();
    const site = await this.sites.byId(user.siteId);
    return this.transactions.run(async (m) => {
      await this.see(m, user);
      if (user.emailVerified && user.email?.toLowerCase() === address.toLowerCase()) {
        await keepAddress(m, user, user.email, 'claim');
        return { status: 'verified' as const, address: user.email };
      }
      const {
        rows: [{ recent }],
      } = await sql<{ recent: number }>(
        m,
        `SELECT count(*)::int AS recent FROM address_confirmations WHERE user_id = $1 AND created_at > now() - interval '1 hour'`,
        [user.id],
      );
      if (recent >= CONFIRMATIONS_PER_HOUR)
        throw AppError.rateLimited('Too many confirmation emails were asked for: try again in an hour', 3600);
      const { token, hash } = newConfirmationToken();
      await sql(
        m,
        `INSERT INTO address_confirmations (token_hash, user_id, site_id, address, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))`,
        [hash, user.id, user.siteId, address, CONFIRMATION_HOURS],
      );
      // The reader's language, for this email, the page its link opens and the emails after.
      if (dto.lang)
        await sql(
          m,
          `INSERT INTO notification_preferences (user_id, site_id, lang) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET lang = $3, updated_at = now()`,
          [user.id, user.siteId, dto.lang],
        );
      const lang = await this.langOf(m, user.id);
      await this.mailer.send(m, [
        confirmationEmail({ siteId: site.id, siteName: site.name, address, lang }, this.links.confirmUrl(token)),
      ]);
      return { status: 'sent' as const, address };
    });
  }

  /** Opens a confirmation link: the address becomes the reader's. Null when the link is unknown or expired. */
  async confirm(token: string): Promise<{ address: string; lang: string } | null> {
    return this.transactions.run(async (m) => {
      const {
        rows: [found],
      } = await sql<{ user_id: string; site_id: number; address: string; live: boolean }>(
        m,
        `DELETE FROM address_confirmations WHERE token_hash = $1 RETURNING user_id, site_id, address, expires_at > now() AS live`,
        [hashOf(token)],
      );
      if (!found?.live) return null;
      await keepAddress(m, { id: found.user_id, siteId: found.site_id }, found.address, 'link');
      // The other links of the same reader: one address at a time.
      await sql(m, `DELETE FROM address_confirmations WHERE user_id = $1`, [found.user_id]);
      return { address: found.address, lang: await this.langOf(m, found.user_id) };
    });
  }

  /** One-click unsubscribe: everything off, and what waited for a digest dropped. False when the token does not verify. */
  async unsubscribe(token: string): Promise<{ lang: string } | null> {
    const userId = await this.links.userOfUnsubscribeToken(token);
    if (userId === null) return null;
    return this.transactions.run(async (m) => {
      await sql(
        m,
        `UPDATE notification_preferences SET replies = false, approved = false, rejected = false, updated_at = now()
         WHERE user_id = $1`,
        [userId],
      );
      await sql(m, `DELETE FROM notification_digest_items WHERE user_id = $1`, [userId]);
      return { lang: await this.langOf(m, userId) };
    });
  }

  /** Whether an unsubscribe token verifies, and the reader's language (for the page that asks to confirm). */
  async unsubscribeTarget(token: string): Promise<{ lang: string } | null> {
    const userId = await this.links.userOfUnsubscribeToken(token);
    if (userId === null) return null;
    return { lang: await this.langOf(this.transactions, userId) };
  }

  /** The reader's row, and a verified address from their token's claim kept for emails sent later. */
  private async see(m: EntityManager, user: AuthUser): Promise<void> {
    await sql(m, `SELECT see_user($1, NULL, $2::smallint)`, [user.id, user.siteId]);
    if (user.emailVerified && user.email) await keepAddress(m, user, user.email, 'claim');
  }

  private async read(m: EntityManager, user: AuthUser): Promise<NotificationSettingsView> {
    const {
      rows: [row],
    } = await sql<{
      replies: boolean | null;
      approved: boolean | null;
      rejected: boolean | null;
      frequency: NotificationSettingsView['frequency'] | null;
      lang: string | null;
      address: string | null;
      verified_by: 'claim' | 'link' | null;
      pending: string | null;
    }>(
      m,
      `SELECT p.replies, p.approved, p.rejected, p.frequency, p.lang, a.address, a.verified_by,
              (SELECT c.address FROM address_confirmations c WHERE c.user_id = $1 AND c.expires_at > now()
               ORDER BY c.created_at DESC LIMIT 1) AS pending
       FROM (SELECT 1) one
       LEFT JOIN notification_preferences p ON p.user_id = $1
       LEFT JOIN reader_addresses a ON a.user_id = $1`,
      [user.id],
    );
    return {
      available: this.mailer.enabled,
      replies: row.replies ?? false,
      approved: row.approved ?? false,
      rejected: row.rejected ?? false,
      frequency: row.frequency ?? 'immediate',
      lang: row.lang ?? 'en',
      address: row.address,
      addressVerifiedBy: row.verified_by,
      pendingAddress: row.pending,
    };
  }

  private async langOf(on: EntityManager | Transactions, userId: string): Promise<string> {
    const read = (m: EntityManager) =>
      sql<{ lang: string }>(m, `SELECT lang FROM notification_preferences WHERE user_id = $1`, [userId]);
    const { rows } = on instanceof Transactions ? await on.run(read) : await read(on);
    return emailLanguage(rows[0]?.lang);
  }
}
