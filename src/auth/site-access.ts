import { AppError } from '../errors/app-error';
import { atLeast, AuthUser, Role, roleOn } from './access.decorator';

/**
 * Refuses unless the user holds `role` on the site. A resource of a site the user may not see is
 * answered as missing (`notFound` names it), so that its existence is not given away.
 */
export function mustHold(user: AuthUser, siteId: number, role: Role, notFound?: string): void {
  if (atLeast(roleOn(user, siteId), role)) return;
  if (notFound) throw AppError.notFound(notFound);
  throw AppError.forbidden(`This needs the ${role} role on this site`);
}

/** The sites where the user holds `role`, for lists that span them. */
export function sitesWhere(user: AuthUser, role: Role): number[] {
  const ids = new Set<number>([user.siteId, ...(user.sites?.keys() ?? [])]);
  return [...ids].filter((id) => atLeast(roleOn(user, id), role)).sort((a, b) => a - b);
}
