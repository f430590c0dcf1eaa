import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { userIdOf } from '../sites/site-users';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { OidcSignIn } from '../identity/oidc-sign-in';
import { keepAddress } from '../notifications/reader-addresses';
import { SiteIdentity } from '../identity/site-identity';
import { Site } from '../sites/site.entity';
import { EmailSignIns } from './email-sign-ins.service';
import { Sessions, SessionTokensView } from './sessions.service';

/** A sign-in not finished within this long is forgotten: the reader starts again. */
const ATTEMPT_MINUTES = 10;

const hash = (secret: string) => createHash('sha256').update(secret).digest();

/** Whether the site has an OpenID provider to sign in with (an issuer and a client of it). */
export function signsIn(site: Site): boolean {
  const identity = site.identity as SiteIdentity;
  return !!identity.issuer && !!identity.signIn;
}

/**
 * Readers (and moderators) signing in with their site's OpenID provider: the authorization code
 * flow with PKCE, begun and finished by any instance, ending in a session of Comment Desk's own
 * whose tokens the page that began it collects with its pickup secret.
 */
@Injectable()
export class SiteSignIns {
  private readonly clients = new Map<number, { version: number; client: OidcSignIn }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly sessions: Sessions,
    private readonly emailSignIns: EmailSignIns,
  ) {}

  /** The provider's URL to send the reader to. `pickupHash`: the SHA-256 (base64url) of the page's secret. */
  async begin(site: Site, origin: string, pickupHash: string, callbackUrl: string): Promise<string> {
    const attempt = await this.clientOf(site).start(callbackUrl);
    await sql(this.dataSource, `DELETE FROM sign_in_attempts WHERE created_at < now() - make_interval(mins => $1)`, [
      ATTEMPT_MINUTES,
    ]);
    await sql(
      this.dataSource,
      `INSERT INTO sign_in_attempts (state, site_id, code_verifier, nonce, return_origin, pickup_hash)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [attempt.state, site.id, attempt.codeVerifier, attempt.nonce, origin, Buffer.from(pickupHash, 'base64url')],
    ).catch((error) => {
      if ((error as { code?: string }).code === '23505') throw AppError.conflict('This pickup was used already');
      throw error;
    });
    return attempt.url.href;
  }

  /** The provider's answer: checked, the reader recorded on the site, and a session opened for the page to collect. */
  async finish(site: Site, callbackUrl: string, state: string): Promise<{ origin: string }> {
    const { rows } = await sql<{
      code_verifier: string;
      nonce: string;
      return_origin: string;
      session_id: string | null;
    }>(
      this.dataSource,
      `SELECT code_verifier, nonce, return_origin, session_id FROM sign_in_attempts
       WHERE state = $1 AND site_id = $2 AND created_at > now() - make_interval(mins => $3)`,
      [state, site.id, ATTEMPT_MINUTES],
    );
    const attempt = rows[0];
    if (!attempt || attempt.session_id) throw AppError.notFound('This sign-in (it may have expired: start again)');
    const verified = await this.clientOf(site).complete(callbackUrl, {
      state,
      nonce: attempt.nonce,
      codeVerifier: attempt.code_verifier,
      redirectUri: callbackUrl.split('?')[0],
    });
    await this.transactions.run(async (manager) => {
      const user = { id: userIdOf(site, verified.sub), name: verified.name, role: verified.role };
      const { id } = await this.sessions.open(site, user, manager);
      // An address the provider verified is the reader's for email notifications, as a token's claim is.
      if (verified.emailVerified && verified.email)
        await keepAddress(manager, { id: user.id, siteId: site.id }, verified.email, 'claim');
      const done = await sql(
        manager,
        `UPDATE sign_in_attempts SET session_id = $2 WHERE state = $1 AND session_id IS NULL`,
        [state, id],
      );
      if (done.rowCount !== 1) throw AppError.notFound('This sign-in (it was finished already)');
    });
    return { origin: attempt.return_origin };
  }

  /**
   * The tokens of a finished sign-in (with the provider, or by an emailed link), once, for the
   * page that holds its pickup secret; null while it is under way.
   */
  async collect(site: Site, pickup: string): Promise<SessionTokensView | null> {
    return this.transactions.run(async (manager) => {
      const { rows } = await sql<{ state: string; session_id: string | null }>(
        manager,
        `SELECT state, session_id FROM sign_in_attempts
         WHERE pickup_hash = $1 AND site_id = $2 AND created_at > now() - make_interval(mins => $3) FOR UPDATE`,
        [hash(pickup), site.id, ATTEMPT_MINUTES],
      );
      const attempt = rows[0];
      if (!attempt) {
        const byEmail = await this.emailSignIns.collect(manager, site, pickup);
        if (byEmail === undefined) throw AppError.notFound('This sign-in (it may have expired: start again)');
        return byEmail;
      }
      if (!attempt.session_id) return null;
      await sql(manager, `DELETE FROM sign_in_attempts WHERE state = $1`, [attempt.state]);
      return this.sessions.issue(attempt.session_id, manager);
    });
  }

  private clientOf(site: Site): OidcSignIn {
    const known = this.clients.get(site.id);
    if (known && known.version === site.version) return known.client;
    if (!signsIn(site)) throw AppError.notFound("This site's sign-in (it has no OpenID provider to sign in with)");
    const client = new OidcSignIn(site.identity as SiteIdentity, { allowHttpLoopback: true });
    this.clients.set(site.id, { version: site.version, client });
    return client;
  }
}
