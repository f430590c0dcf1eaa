import type { Site } from '../sites/site.entity';
import { AuthUser, Role } from './access.decorator';
import { mustHold, sitesWhere } from './site-access';

/**
 * The sites a list spans: every site where the caller holds `role` when the request asked for all
 * (`site=all`), else the request's site, which needs that role (403 otherwise).
 */
export function listedSites(user: AuthUser, site: Site, allAsked: boolean, role: Role = 'moderator'): number[] {
  if (allAsked) return sitesWhere(user, role);
  mustHold(user, site.id, role);
  return [site.id];
}
