import { SetMetadata } from '@nestjs/common';

import { Role } from '../common/roles';

export { ROLES } from '../common/roles';
export type { Role } from '../common/roles';

/**
 * Who may call a route: anyone, any signed-in user, a role on some site and those above it (each
 * route then checks the site it acts on), or an organisation admin (an admin of the first site),
 * who manages the sites.
 */
export type AccessLevel = 'public' | 'user' | 'moderator' | 'admin' | 'organisation';
export const ACCESS_KEY = 'access';

/** Every route declares its access; the global guard refuses routes that do not. */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export const ANY_ORIGIN_KEY = 'anyOrigin';
/** A route of the platform, not of a site (health, metrics): no page origin is refused on it. */
export const AnyOrigin = () => SetMetadata(ANY_ORIGIN_KEY, true);
/**
 * A route whose site is not the one the request's header names (a sign-in's, named in its path; a
 * session's): the guard leaves the page's origin to the route, which checks it against that site.
 */
export const OriginCheckedByRoute = () => SetMetadata(ANY_ORIGIN_KEY, true);

export interface AuthUser {
  /** The stored user id: the token's sub, prefixed on every site but the first (see userIdOf). */
  id: string;
  name: string | null;
  /** The role that the token of the user's own site gives them there. */
  role: Role;
  /** The site whose login signed the token. */
  siteId: number;
  /** The address the token's email claim gives (null or absent: none); trusted only with emailVerified. */
  email?: string | null;
  /** Whether the site's login says it verified `email`. */
  emailVerified?: boolean;
  /**
   * The user's roles on every site where they hold one (their own site's from the token, the
   * others granted here); read for moderators' and admins' routes only.
   */
  sites?: ReadonlyMap<number, Role>;
}

const RANK: Record<Role, number> = { commenter: 0, moderator: 1, admin: 2 };

/** The user's role on a site: their token's on their own site, or one granted there. */
export function roleOn(user: AuthUser | null | undefined, siteId: number): Role | undefined {
  if (!user) return undefined;
  const granted = user.sites?.get(siteId);
  const own = user.siteId === siteId ? user.role : undefined;
  if (granted && own) return RANK[granted] >= RANK[own] ? granted : own;
  return granted ?? own;
}

export const atLeast = (role: Role | undefined, wanted: Role) => role !== undefined && RANK[role] >= RANK[wanted];

export const isModerator = (user: AuthUser | null | undefined, siteId: number) =>
  atLeast(roleOn(user, siteId), 'moderator');
