import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../auth/access.decorator';
import { ACCESS_TOKEN_SECONDS, SessionTokens } from '../auth/session-tokens';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { Site } from '../sites/site.entity';
import { SitesDirectory } from '../sites/sites.directory';
import { UsersService } from '../users/users.service';

/** How long a sign-in lasts, however often it is refreshed: then the reader signs in again. */
export const SESSION_DAYS = 30;
/**
 * Two tabs of one page may refresh with the same token at once: the one that comes second within
 * this many seconds gets an access token and keeps the refresh token it finds in the page's
 * storage; later, the old token is a stolen copy and ends the session.
 */
const REFRESH_GRACE_SECONDS = 30;

export interface SessionTokensView {
  accessToken: string;
  /** null: keep the refresh token you hold (another tab has just replaced it). */
  refreshToken: string | null;
  expiresIn: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest();
const newRefreshToken = () => randomBytes(32).toString('base64url');

/** Comment Desk's own sessions: started after a provider's sign-in, refreshed, ended. */
@Injectable()
export class Sessions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly tokens: SessionTokens,
    private readonly users: UsersService,
    private readonly sites: SitesDirectory,
  ) {}

  async start(site: Site, user: { id: string; name: string | null; role: Role }): Promise<SessionTokensView> {
    const { id, refreshToken } = await this.open(site, user);
    const accessToken = await this.tokens.sign({ id, userId: user.id, name: user.name, role: user.role, site });
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /** A new session, its tokens not given yet (collected later by the page that began the sign-in). */
  async open(
    site: Site,
    user: { id: string; name: string | null; role: Role },
    manager?: EntityManager,
  ): Promise<{ id: string; refreshToken: string }> {
    const refreshToken = newRefreshToken();
    const work = async (manager: EntityManager) => {
      await this.users.see(manager, { id: user.id, name: user.name, siteId: site.id });
      const { rows } = await sql<{ id: string }>(
        manager,
        `INSERT INTO sessions (site_id, user_id, role, refresh_hash, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id`,
        [site.id, user.id, user.role, hash(refreshToken), SESSION_DAYS],
      );
      return rows[0].id;
    };
    const id = manager ? await work(manager) : await this.transactions.run(work);
    return { id, refreshToken };
  }

  /** Fresh tokens for a session that has given none yet (or whose holder lost them): its refresh token is replaced. */
  async issue(sessionId: string, manager: EntityManager): Promise<SessionTokensView> {
    const refreshToken = newRefreshToken();
    const { rows } = await sql<SessionRow & { name: string | null }>(
      manager,
      `UPDATE sessions s SET refresh_hash = $2, refreshed_at = now() FROM users u
       WHERE s.id = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
       RETURNING s.id, s.site_id, s.user_id, s.role, u.name`,
      [sessionId, hash(refreshToken)],
    );
    const session = rows[0];
    if (!session) throw AppError.unauthenticated('This sign-in has ended: sign in again');
    const site = await this.sites.byId(session.site_id);
    const accessToken = await this.tokens.sign({
      id: session.id,
      userId: session.user_id,
      name: session.name,
      role: session.role,
      site,
    });
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /** The site of the session of a refresh token (spent or current), if there is one. */
  async siteOf(refreshToken: string): Promise<Site | null> {
    const { rows } = await sql<{ site_id: number }>(
      this.dataSource,
      `SELECT site_id FROM sessions WHERE refresh_hash = $1 OR previous_hash = $1 LIMIT 1`,
      [hash(refreshToken)],
    );
    return rows[0] ? this.sites.byId(rows[0].site_id) : null;
  }

  /** A new access token and a new refresh token for a current one; the old refresh token is spent. */
  async refresh(refreshToken: string): Promise<SessionTokensView> {
    const next = newRefreshToken();
    const { rows } = await sql<SessionRow & { rotated: boolean }>(
      this.dataSource,
      `WITH rotated AS (
         UPDATE sessions SET previous_hash = refresh_hash, refresh_hash = $2, refreshed_at = now()
         WHERE refresh_hash = $1 AND revoked_at IS NULL AND expires_at > now()
         RETURNING id, site_id, user_id, role, true AS rotated)
       SELECT * FROM rotated
       UNION ALL
       SELECT id, site_id, user_id, role, false FROM sessions
       WHERE previous_hash = $1 AND revoked_at IS NULL AND expires_at > now()
         AND refreshed_at > now() - make_interval(secs => $3) AND NOT EXISTS (SELECT 1 FROM rotated)`,
      [hash(refreshToken), hash(next), REFRESH_GRACE_SECONDS],
    );
    const session = rows[0];
    if (!session) {
      // A spent token shown again after the grace: someone holds a copy. The session ends for both.
      await sql(
        this.dataSource,
        `UPDATE sessions SET revoked_at = now() WHERE previous_hash = $1 AND revoked_at IS NULL`,
        [hash(refreshToken)],
      );
      throw AppError.unauthenticated('This sign-in has ended: sign in again');
    }
    const site = await this.sites.byId(session.site_id);
    const { rows: users } = await sql<{ name: string | null }>(
      this.dataSource,
      `SELECT name FROM users WHERE id = $1`,
      [session.user_id],
    );
    const accessToken = await this.tokens.sign({
      id: session.id,
      userId: session.user_id,
      name: users[0]?.name ?? null,
      role: session.role,
      site,
    });
    return { accessToken, refreshToken: session.rotated ? next : null, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /** Ends the session of a refresh token (spent or current); unknown tokens end nothing, quietly. */
  async signOut(refreshToken: string): Promise<void> {
    await sql(
      this.dataSource,
      `UPDATE sessions SET revoked_at = now() WHERE (refresh_hash = $1 OR previous_hash = $1) AND revoked_at IS NULL`,
      [hash(refreshToken)],
    );
  }
}

interface SessionRow {
  id: string;
  site_id: number;
  user_id: string;
  role: Role;
}
