import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { ACCESS_KEY, AccessLevel, AuthUser } from './access.decorator';
import { TokenVerifier } from './token-verifier.service';

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/**
 * Global guard. A token, when sent, must be valid on every route (a bad one is 401, even where
 * none is needed). Routes without an @Access level are refused: a forgotten guard fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_\-.=+/]+)$/.exec(header.trim());
      if (!match) throw AppError.unauthenticated('The Authorization header must be "Bearer <token>"');
      request.user = await this.verifier.verify(match[1]);
    }
    if (level === undefined) throw AppError.forbidden('This route has no access rule');
    if (level === 'public') return true;
    const user = request.user;
    if (!user) throw AppError.unauthenticated();
    if (level === 'user') return true;
    if (level === 'moderator' && (user.role === 'moderator' || user.role === 'admin')) return true;
    if (level === 'admin' && user.role === 'admin') return true;
    throw AppError.forbidden(`This needs the ${level} role`);
  }
}
