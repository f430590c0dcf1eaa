import { DEFAULT_SITE_ID, Site } from './site.entity';

/** The stored id of a site's user: the sub itself on the first site, so that ids from before sites stay. */
export function userIdOf(site: Pick<Site, 'id' | 'key'>, sub: string): string {
  return site.id === DEFAULT_SITE_ID ? sub : `${site.key}:${sub}`;
}

/** The sub that the site's login gave a stored id (userIdOf's inverse); null for an id its login could not have made. */
export function subOf(site: Pick<Site, 'id' | 'key'>, userId: string): string | null {
  if (site.id === DEFAULT_SITE_ID) return userId;
  const prefix = `${site.key}:`;
  return userId.startsWith(prefix) && userId.length > prefix.length ? userId.slice(prefix.length) : null;
}
