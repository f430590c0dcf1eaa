import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { Environment } from '../config/environment';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { withoutBidiControls } from '../common/text';
import { AppError } from '../errors/app-error';
import { AuthUser, Role, ROLES } from './access.decorator';
import { SessionTokens } from './session-tokens';

const MAX_CLAIM_LENGTH = 200;
/** Tokens remembered as verified; past this many, forgotten all at once. */
const MAX_VERIFIED = 20_000;

/** The stored id of a site's user: the sub itself on the first site, so that ids from before sites stay. */
export function userIdOf(site: Pick<Site, 'id' | 'key'>, sub: string): string {
  return site.id === DEFAULT_SITE_ID ? sub : `${site.key}:${sub}`;
}

/** Verifies the tokens of each site's login, and remembers those it verified until they expire. */
@Injectable()
export class TokenVerifier {
  private readonly keys = new Map<number, { version: number; verifier: KeyVerifier }>();
  private readonly verified = new Map<string, { user: AuthUser; until: number }>();

  constructor(
    private readonly env: Environment,
    private readonly sessions: SessionTokens,
  ) {}

  async verify(token: string, site: Site): Promise<AuthUser> {
    // A reader sends the same token with every request: its signature is checked once, and it is
    // believed again until its exp (nothing else about a verified token can change).
    const cacheKey = `${site.id}:${site.version}:${token}`;
    const known = this.verified.get(cacheKey);
    if (known && Date.now() < known.until) return known.user;
    const { user, expiresAt } = SessionTokens.isOurs(token)
      ? await this.sessions.verify(token, site)
      : this.fromSite(token, site);
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(cacheKey, { user: Object.freeze(user), until: expiresAt });
    return user;
  }

  private fromSite(token: string, site: Site): { user: AuthUser; expiresAt: number } {
    const { claims, expiresAt } = this.verifierOf(site).verify(token);
    return { user: toUser(claims, site), expiresAt };
  }

  private verifierOf(site: Site): KeyVerifier {
    const known = this.keys.get(site.id);
    if (known && known.version === site.version) return known.verifier;
    const verifier = site.id === DEFAULT_SITE_ID ? KeyVerifier.fromEnvironment(this.env) : KeyVerifier.of(site);
    this.keys.set(site.id, { version: site.version, verifier });
    return verifier;
  }
}

/** One algorithm family per key, so HS/RS confusion is impossible. */
class KeyVerifier {
  /** A KeyObject made once: given a string, jsonwebtoken parses the key again on every call. */
  private constructor(
    private readonly key: KeyObject | null,
    private readonly options: jwt.VerifyOptions & { complete?: false },
  ) {}

  static fromEnvironment(env: Environment): KeyVerifier {
    const rs256 = Boolean(env.JWT_PUBLIC_KEY);
    return new KeyVerifier(
      rs256 ? createPublicKey(env.JWT_PUBLIC_KEY!) : createSecretKey(Buffer.from(env.JWT_SECRET!, 'utf8')),
      {
        algorithms: [rs256 ? 'RS256' : 'HS256'],
        issuer: env.JWT_ISSUER || undefined,
        audience: env.JWT_AUDIENCE || undefined,
      },
    );
  }

  static of(site: Site): KeyVerifier {
    const identity = site.identity as { secrets?: string[]; issuer?: string; audience?: string };
    const secret = identity.secrets?.[0];
    return new KeyVerifier(secret ? createSecretKey(Buffer.from(secret, 'utf8')) : null, {
      algorithms: ['HS256'],
      issuer: identity.issuer || undefined,
      audience: identity.audience || undefined,
    });
  }

  verify(token: string): { claims: Record<string, unknown>; expiresAt: number } {
    if (!this.key) throw AppError.unauthenticated("This site's login is not set up: its tokens cannot be verified");
    return verifyNow(token, this.key, this.options);
  }
}

function verifyNow(
  token: string,
  key: KeyObject,
  options: jwt.VerifyOptions & { complete?: false },
): { claims: Record<string, unknown>; expiresAt: number } {
  let claims: Record<string, unknown>;
  try {
    const payload = jwt.verify(token, key, options);
    if (typeof payload !== 'object' || payload === null) throw new Error('the payload is not an object');
    claims = payload as Record<string, unknown>;
  } catch (error) {
    throw AppError.unauthenticated(refusal(error));
  }
  // A token that never expires would be a password that cannot be changed: the login must set exp.
  if (typeof claims.exp !== 'number')
    throw AppError.unauthenticated('The bearer token has no exp claim: tokens must say when they expire');
  // (A token that is not yet valid, nbf, was refused: it is not cached before it becomes valid.)
  return { claims, expiresAt: claims.exp * 1000 };
}

function toUser(claims: Record<string, unknown>, site: Site): AuthUser {
  const { sub, name, role } = claims;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_CLAIM_LENGTH || !sub.isWellFormed()) {
    throw AppError.unauthenticated('The token has no usable sub claim');
  }
  if (
    name !== undefined &&
    name !== null &&
    (typeof name !== 'string' || name.length > MAX_CLAIM_LENGTH || !name.isWellFormed())
  ) {
    throw AppError.unauthenticated('The token has an unusable name claim');
  }
  if (role !== undefined && !ROLES.includes(role as Role)) {
    throw AppError.unauthenticated('The token has an unknown role');
  }
  if (/\u0000/.test(sub) || (typeof name === 'string' && /\u0000/.test(name))) {
    throw AppError.unauthenticated('The token has unusable claims');
  }
  // A name is shown beside other text: directional overrides in it would reverse what follows.
  const shown = typeof name === 'string' ? withoutBidiControls(name) : null;
  return { id: userIdOf(site, sub), name: shown, role: (role as Role | undefined) ?? 'commenter', siteId: site.id };
}

/** What the client should do about a token that jsonwebtoken refused. */
function refusal(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'The bearer token has expired: sign in again';
  if (error instanceof jwt.NotBeforeError) return 'The bearer token is not valid yet (nbf)';
  return 'The bearer token is not valid';
}
