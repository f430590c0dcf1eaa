import { AuthUser, roleOn } from '../auth/access.decorator';
import { AppError } from '../errors/app-error';
import { GrantedRole } from '../sites/site-member.entity';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';

/** An admin of the first site: they make sites, and administer every one here. */
export const isOrganisationAdmin = (user: AuthUser) => roleOn(user, DEFAULT_SITE_ID) === 'admin';

/** The caller's role on a site as this API sees it; undefined where they hold none (the site is then not theirs to see). */
export function adminRoleOn(user: AuthUser, siteId: number): GrantedRole | undefined {
  if (isOrganisationAdmin(user)) return 'admin';
  const role = roleOn(user, siteId);
  return role === 'moderator' || role === 'admin' ? role : undefined;
}

/** The caller's role on the site, or a 404 when they hold none there. */
export function mustSee(user: AuthUser, site: Site): GrantedRole {
  const role = adminRoleOn(user, site.id);
  if (!role) throw AppError.notFound('The site');
  return role;
}

/** Refuses unless the caller administers the site: 404 where they hold no role, 403 for its moderators. */
export function mustAdminister(user: AuthUser, site: Site): void {
  if (mustSee(user, site) !== 'admin') throw AppError.forbidden('This needs the admin role on this site');
}
