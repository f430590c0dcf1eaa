import { Injectable } from '@nestjs/common';
import * as jose from 'jose';
import { DataSource } from 'typeorm';
import { InstallationKey } from '../database/installation-key';
import { AppError } from '../errors/app-error';
import { subOf, userIdOf } from '../sites/site-users';
import type { Site } from '../sites/site.entity';
import { AuthUser, Role, ROLES } from './access.decorator';

/** The issuer of the access tokens of sessions that Comment Desk holds itself. */
export const SESSION_ISSUER = 'urn:comment-desk:session';
/** Access tokens live minutes: a signed-out or demoted user keeps one at most this long. */
export const ACCESS_TOKEN_SECONDS = 600;

/**
 * Signs and verifies the access tokens of Comment Desk's own sessions (after a sign-in with a
 * site's OpenID provider), with a key the installation makes once and keeps in its database, so
 * that every instance shares it. The token's audience is its site's key.
 */
@Injectable()
export class SessionTokens {
  private readonly key: InstallationKey;

  constructor(dataSource: DataSource) {
    this.key = new InstallationKey(dataSource, 'sessions');
  }

  /** Whether the token claims to be one of ours (its signature is checked by verify). */
  static isOurs(token: string): boolean {
    try {
      return jose.decodeJwt(token).iss === SESSION_ISSUER;
    } catch {
      return false;
    }
  }

  async sign(session: { id: string; userId: string; name: string | null; role: Role; site: Site }): Promise<string> {
    return (
      new jose.SignJWT({ name: session.name, role: session.role, sid: session.id })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(SESSION_ISSUER)
        .setAudience(session.site.key)
        // The sub as the site's login gives it, as in every token a page hands the embed.
        .setSubject(subOf(session.site, session.userId)!)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
        .sign(await this.secret())
    );
  }

  /** The user of one of our access tokens for `site`, and when it expires; 401 for anything else. */
  async verify(token: string, site: Site): Promise<{ user: AuthUser; expiresAt: number }> {
    let claims: jose.JWTPayload;
    try {
      ({ payload: claims } = await jose.jwtVerify(token, await this.secret(), {
        algorithms: ['HS256'],
        issuer: SESSION_ISSUER,
        requiredClaims: ['exp', 'sub', 'aud'],
      }));
    } catch (error) {
      if (error instanceof jose.errors.JWTExpired)
        throw AppError.unauthenticated('The bearer token has expired: sign in again');
      throw AppError.unauthenticated('The bearer token is not valid');
    }
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(site.key)) throw AppError.unauthenticated("The bearer token is another site's");
    const role = claims.role as Role;
    if (!ROLES.includes(role)) throw AppError.unauthenticated('The bearer token has an unknown role');
    const name = typeof claims.name === 'string' ? claims.name : null;
    return { user: { id: userIdOf(site, claims.sub!), name, role, siteId: site.id }, expiresAt: claims.exp! * 1000 };
  }

  private async secret(): Promise<Uint8Array> {
    return new Uint8Array(await this.key.get());
  }
}
