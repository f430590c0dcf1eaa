import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { SiteIdentity } from '../identity/site-identity';
import { Mailer } from '../mail/mailer';
import { takeToken } from '../rate-limits/token-buckets';
import { Site } from '../sites/site.entity';
import { userIdOf } from '../sites/site-users';
import { AddressDigests } from './address-digests';
import { signInEmail, wordsLang } from './email-sign-in.words';
import { matchCode } from './match-code';
import { Sessions, SessionTokensView } from './sessions.service';

/** How long the emailed link works. */
export const LINK_MINUTES = 15;
/** How long after asking the page may collect its tokens (the link may be opened at its last minute). */
const PICKUP_MINUTES = LINK_MINUTES + 5;
/** Links are kept this long, so that a late second click is told the link was used rather than unknown. */
const KEPT_HOURS = 24;
/** Emails to one address (whichever site asks), and asks from one client: a token bucket each. */
export const PER_ADDRESS = { limit: 3, perSeconds: 15 * 60 };
export const PER_CLIENT = { limit: 10, perSeconds: 60 * 60 };

const hash = (secret: string) => createHash('sha256').update(secret).digest();

export interface EmailSignInAsk {
  address: string;
  name: string;
  /** The SHA-256 (base64url) of the secret with which the page collects its tokens. */
  pickup: string;
  origin: string;
  lang?: string;
}

/** A link as its page shows it: to whom and where it signs in. */
export interface EmailLink {
  name: string;
  origin: string;
  lang: string;
  /** The code the page that asked shows (matchCode). */
  code: string;
}

/**
 * Sign-in by email link, for sites without a login of their own: the reader gives an address and
 * a name; an email brings a single-use link; opening it (and confirming, so that a mail scanner's
 * visit signs no one in) opens a session that the page which asked collects by its pickup secret,
 * on whatever device the link was opened. Every ask is answered alike: nothing says whether the
 * address is a reader's already.
 */
@Injectable()
export class EmailSignIns {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly sessions: Sessions,
    private readonly mailer: Mailer,
    private readonly digests: AddressDigests,
    private readonly env: Environment,
  ) {}

  /** Whether the site's readers may sign in by email (it says so, and this installation sends email). */
  offeredBy(site: Site): boolean {
    return this.mailer.enabled && (site.identity as SiteIdentity).emailLinks === true;
  }

  mustBeOffered(site: Site): void {
    if (!this.offeredBy(site)) throw AppError.notFound("This site's sign-in by email");
  }

  /** Records the link and queues its email; `client` is the asking client's address, `linkBase` the link's URL without its token. */
  async ask(site: Site, ask: EmailSignInAsk, client: string, linkBase: string): Promise<void> {
    this.mustBeOffered(site);
    const address = ask.address.trim();
    const [everywhere, onSite] = await Promise.all([
      this.digests.of(address),
      this.digests.of(address, `site:${site.id}`),
    ]);
    const token = randomBytes(32).toString('base64url');
    const lang = wordsLang(ask.lang);
    await this.transactions.run(async (manager) => {
      await this.take(manager, client, everywhere);
      await sql(manager, `DELETE FROM email_sign_ins WHERE created_at < now() - make_interval(hours => $1)`, [
        KEPT_HOURS,
      ]);
      await sql(
        manager,
        `INSERT INTO email_sign_ins (site_id, token_hash, pickup_hash, user_id, name, return_origin, lang, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(mins => $8))`,
        [
          site.id,
          hash(token),
          Buffer.from(ask.pickup, 'base64url'),
          userIdOf(site, `email:${onSite}`),
          ask.name,
          ask.origin,
          lang,
          LINK_MINUTES,
        ],
      ).catch((error) => {
        if ((error as { code?: string }).code === '23505') throw AppError.conflict('This pickup was used already');
        throw error;
      });
      const link = `${linkBase}?token=${token}`;
      const email = signInEmail(lang, {
        site: site.name,
        name: ask.name,
        origin: ask.origin,
        link,
        minutes: LINK_MINUTES,
      });
      await this.mailer.send(manager, [{ siteId: site.id, to: address, ...email }]);
    });
  }

  /** The link's sign-in, to confirm; a problem when it is unknown, used or expired. */
  async peek(site: Site, token: string): Promise<EmailLink> {
    this.mustBeOffered(site);
    const { rows } = await sql<LinkRow>(this.dataSource, `${LINK_ROW} WHERE token_hash = $1 AND site_id = $2`, [
      hash(token),
      site.id,
    ]);
    return toLink(usable(rows[0]));
  }

  /** Signs the link's reader in (a session for the page that asked to collect); once. */
  async use(site: Site, token: string): Promise<EmailLink> {
    this.mustBeOffered(site);
    return this.transactions.run(async (manager) => {
      const { rows } = await sql<LinkRow & { id: string; user_id: string }>(
        manager,
        `${LINK_ROW.replace('SELECT', 'SELECT id, user_id,')} WHERE token_hash = $1 AND site_id = $2 FOR UPDATE`,
        [hash(token), site.id],
      );
      const link = usable(rows[0]);
      const { id } = await this.sessions.open(site, { id: link.user_id, name: link.name, role: 'commenter' }, manager);
      await sql(manager, `UPDATE email_sign_ins SET used_at = now(), session_id = $2 WHERE id = $1`, [link.id, id]);
      return toLink(link);
    });
  }

  /**
   * The tokens of a used link's session, once, for the page holding the pickup secret; null while
   * the link is not opened yet; undefined when no email sign-in has this pickup.
   */
  async collect(manager: EntityManager, site: Site, pickup: string): Promise<SessionTokensView | null | undefined> {
    const { rows } = await sql<{ id: string; session_id: string | null }>(
      manager,
      `SELECT id, session_id FROM email_sign_ins
       WHERE pickup_hash = $1 AND site_id = $2 AND collected_at IS NULL
         AND created_at > now() - make_interval(mins => $3) FOR UPDATE`,
      [hash(pickup), site.id, PICKUP_MINUTES],
    );
    const found = rows[0];
    if (!found) return undefined;
    if (!found.session_id) return null;
    await sql(manager, `UPDATE email_sign_ins SET collected_at = now() WHERE id = $1`, [found.id]);
    return this.sessions.issue(found.session_id, manager);
  }

  private async take(manager: EntityManager, client: string, address: string): Promise<void> {
    if (this.env.RATE_LIMITS === 'off') return;
    const perAddress = { key: `emailSignIn:address:${address}`, ...PER_ADDRESS };
    const refused = await takeToken(manager, [{ key: `emailSignIn:client:${client}`, ...PER_CLIENT }, perAddress]);
    if (!refused) return;
    const whose = refused.empty === perAddress ? 'to this address' : 'from this client';
    throw AppError.rateLimited(
      `Too many sign-in emails asked for ${whose}; try again in ${refused.retryAfterSeconds} s`,
      refused.retryAfterSeconds,
    );
  }
}

interface LinkRow {
  name: string;
  return_origin: string;
  lang: string;
  pickup_hash: Buffer;
  used: boolean;
  expired: boolean;
}

const LINK_ROW = `SELECT name, return_origin, lang, pickup_hash, used_at IS NOT NULL AS used, expires_at <= now() AS expired FROM email_sign_ins`;

const toLink = (row: LinkRow): EmailLink => ({
  name: row.name,
  origin: row.return_origin,
  lang: row.lang,
  code: matchCode(row.pickup_hash.toString('base64url')),
});

/** Why a link cannot sign in, as the problem its page shows. */
export class LinkRefused extends AppError {
  constructor(
    status: number,
    code: 'NOT_FOUND' | 'CONFLICT',
    message: string,
    readonly reason: 'unknown' | 'used' | 'expired',
    /** The language the reader asked in, when the link is known. */
    readonly lang?: string,
  ) {
    super(status, code, message);
  }
}

function usable<T extends LinkRow>(row: T | undefined): T {
  if (!row) throw new LinkRefused(404, 'NOT_FOUND', 'This sign-in link was not found', 'unknown');
  if (row.used) throw new LinkRefused(409, 'CONFLICT', 'This sign-in link was used already', 'used', row.lang);
  if (row.expired)
    throw new LinkRefused(404, 'NOT_FOUND', 'This sign-in link has expired: ask for a new one', 'expired', row.lang);
  return row;
}
