import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { Environment } from '../config/environment';
import { withoutBidiControls } from '../common/text';
import { AppError } from '../errors/app-error';
import { AuthUser, Role, ROLES } from './access.decorator';

const MAX_CLAIM_LENGTH = 200;
/** Tokens remembered as verified; past this many, forgotten all at once. */
const MAX_VERIFIED = 20_000;

/** Verifies the publisher's tokens: one algorithm family only, so HS/RS confusion is impossible. */
@Injectable()
export class TokenVerifier {
  /** A KeyObject made once: given a string, jsonwebtoken parses the key again on every call. */
  private readonly key: KeyObject;
  private readonly options: jwt.VerifyOptions & { complete?: false };
  private readonly verified = new Map<string, { user: AuthUser; until: number }>();

  constructor(env: Environment) {
    const rs256 = Boolean(env.JWT_PUBLIC_KEY);
    this.key = rs256 ? createPublicKey(env.JWT_PUBLIC_KEY!) : createSecretKey(Buffer.from(env.JWT_SECRET!, 'utf8'));
    this.options = {
      algorithms: [rs256 ? 'RS256' : 'HS256'],
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
    };
  }

  async verify(token: string): Promise<AuthUser> {
    // A reader sends the same token with every request: its signature is checked once, and it is
    // believed again until its exp (nothing else about a verified token can change).
    const known = this.verified.get(token);
    if (known && Date.now() < known.until) return known.user;
    const { user, expiresAt } = this.verifyNow(token);
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, { user: Object.freeze(user), until: expiresAt });
    return user;
  }

  private verifyNow(token: string): { user: AuthUser; expiresAt: number } {
    let claims: Record<string, unknown>;
    try {
      const payload = jwt.verify(token, this.key, this.options);
      if (typeof payload !== 'object' || payload === null) throw new Error('the payload is not an object');
      claims = payload as Record<string, unknown>;
    } catch (error) {
      throw AppError.unauthenticated(refusal(error));
    }
    // A token that never expires would be a password that cannot be changed: the login must set exp.
    if (typeof claims.exp !== 'number')
      throw AppError.unauthenticated('The bearer token has no exp claim: tokens must say when they expire');
    const user = this.toUser(claims);
    // (A token that is not yet valid, nbf, was refused: it is not cached before it becomes valid.)
    return { user, expiresAt: claims.exp * 1000 };
  }

  private toUser(claims: Record<string, unknown>): AuthUser {
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
    return { id: sub, name: shown, role: (role as Role | undefined) ?? 'commenter' };
  }
}

/** What the client should do about a token that jsonwebtoken refused. */
function refusal(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'The bearer token has expired: sign in again';
  if (error instanceof jwt.NotBeforeError) return 'The bearer token is not valid yet (nbf)';
  return 'The bearer token is not valid';
}
