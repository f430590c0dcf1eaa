import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';
import { SITE_HEADER } from '../sites/request-site';
import type { AuthenticatedRequest } from './auth.guard';

/** The site the request acts on: `?site=`, else the site of the `Comment-Desk-Site` header, else the first site. */
export const RequestSite = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().site!,
);

/** Whether the request asked for every site the caller may see (`site=all`). */
export const AllSitesAsked = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().siteChoice === 'all',
);

/** Documents the header that names the site whose login signed the token. */
export const ApiSiteHeader = () =>
  ApiHeader({
    name: SITE_HEADER,
    required: false,
    description:
      'The key of the site whose login signed the bearer token, and the site acted on unless `site` names another; without it, the first site.',
  });

/** Documents `site` on a list that spans sites: a site's key, or `all` for every site the caller holds a role on. */
export const ApiSitesQuery = () =>
  ApiQuery({
    name: 'site',
    required: false,
    type: String,
    description:
      "The key of the site listed (default: the header's site), or `all` for every site where the caller holds a role; a site where the caller holds none is 403.",
  });
