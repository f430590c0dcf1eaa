import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { siteChoiceOf, SiteChoice, siteHeaderOf } from '../sites/request-site';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { SiteOrigins } from '../sites/site-origins';
import { SitesDirectory } from '../sites/sites.directory';
import { ACCESS_KEY, ANY_ORIGIN_KEY, AccessLevel, atLeast, AuthUser, Role, roleOn } from './access.decorator';
import { SiteRoles } from './site-roles';
import { TokenVerifier } from './token-verifier.service';

export type AuthenticatedRequest = FastifyRequest & {
  user?: AuthUser;
  /** The site whose login signed the token (the Comment-Desk-Site header), or the first site. */
  identitySite?: Site;
  /** The site the request acts on: the one `?site=` names, else identitySite. */
  site?: Site;
  siteChoice?: SiteChoice;
};

/**
 * Global guard. A token, when sent, must be valid on every route (a bad one is 401, even where
 * none is needed); it is verified by the login of the site that the request's header names. Routes
 * without an @Access level are refused: a forgotten guard fails closed. A page of an origin that
 * the request's sites do not list is refused (403 ORIGIN_NOT_ALLOWED). A moderator's or admin's
 * route needs that role on some site; the route then checks the site it acts on.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly sites: SitesDirectory,
    private readonly roles: SiteRoles,
    private readonly origins: SiteOrigins,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const headerKey = siteHeaderOf(request.headers);
    const choice = (request.siteChoice = siteChoiceOf(request.query));
    // The query's `site` is the guard's: the routes' own query validation would refuse it.
    delete (request.query as Record<string, unknown> | undefined)?.site;
    request.identitySite = headerKey ? await this.sites.byKey(headerKey) : await this.sites.defaultSite();
    request.site = typeof choice === 'object' ? await this.sites.byKey(choice.key) : request.identitySite;
    // A page of another origin uses a site only if the site lists it (CORS alone binds browsers only).
    if (
      !this.reflector.getAllAndOverride<boolean | undefined>(ANY_ORIGIN_KEY, [context.getHandler(), context.getClass()])
    )
      this.origins.mustAllow([request.identitySite, request.site], request.headers.origin, request.host);
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_\-.=+/]+)$/.exec(header.trim());
      if (!match) throw AppError.unauthenticated('The Authorization header must be "Bearer <token>"');
      request.user = await this.verifier.verify(match[1], request.identitySite);
    }
    if (level === undefined) throw AppError.forbidden('This route has no access rule');
    if (level === 'public') return true;
    let user = request.user;
    if (!user) throw AppError.unauthenticated();
    if (level === 'user') return true;
    const sites = await this.roles.of(user);
    request.user = user = Object.freeze({ ...user, sites });
    if (level === 'organisation') {
      if (roleOn(user, DEFAULT_SITE_ID) === 'admin') return true;
      throw AppError.forbidden('This needs an admin of the organisation (the first site)');
    }
    if (holdsAnywhere(user, level)) return true;
    throw AppError.forbidden(`This needs the ${level} role`);
  }
}

function holdsAnywhere(user: AuthUser, wanted: Role): boolean {
  return atLeast(user.role, wanted) || [...(user.sites?.values() ?? [])].some((role) => atLeast(role, wanted));
}
