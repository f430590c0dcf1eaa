import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Environment } from '../config/environment';
import { AppError } from '../errors/app-error';
import { AuthUser, Role, ROLES } from './access.decorator';

const MAX_CLAIM_LENGTH = 200;

/** Verifies the publisher's tokens: one algorithm family only, so HS/RS confusion is impossible. */
@Injectable()
export class TokenVerifier {
  private readonly key: string;
  private readonly algorithm: 'HS256' | 'RS256';
  private readonly issuer?: string;
  private readonly audience?: string;

  constructor(
    private readonly jwt: JwtService,
    env: Environment,
  ) {
    this.algorithm = env.JWT_PUBLIC_KEY ? 'RS256' : 'HS256';
    this.key = env.JWT_PUBLIC_KEY ?? env.JWT_SECRET!;
    this.issuer = env.JWT_ISSUER || undefined;
    this.audience = env.JWT_AUDIENCE || undefined;
  }

  async verify(token: string): Promise<AuthUser> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync(token, {
        algorithms: [this.algorithm],
        ...(this.algorithm === 'RS256' ? { publicKey: this.key } : { secret: this.key }),
        issuer: this.issuer,
        audience: this.audience,
      });
    } catch {
      throw AppError.unauthenticated('The bearer token is not valid');
    }
    return this.toUser(claims);
  }

  private toUser(claims: Record<string, unknown>): AuthUser {
    const { sub, name, role } = claims;
    if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_CLAIM_LENGTH || !sub.isWellFormed()) {
      throw AppError.unauthenticated('The token has no usable sub claim');
    }
    if (name !== undefined && name !== null && (typeof name !== 'string' || name.length > MAX_CLAIM_LENGTH || !name.isWellFormed())) {
      throw AppError.unauthenticated('The token has an unusable name claim');
    }
    if (role !== undefined && !ROLES.includes(role as Role)) {
      throw AppError.unauthenticated('The token has an unknown role');
    }
    if (/\u0000/.test(sub) || (typeof name === 'string' && /\u0000/.test(name))) {
      throw AppError.unauthenticated('The token has unusable claims');
    }
    return { id: sub, name: typeof name === 'string' ? name : null, role: (role as Role | undefined) ?? 'commenter' };
  }
}
