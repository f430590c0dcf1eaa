import { DEFAULT_SITE_ID, Site } from './site.entity';

/** The stored id of a site's user: the sub itself on the first site, so that ids from before sites stay. */
export function userIdOf(site: Pick<Site, 'id' | 'key'>, sub: string): string {
  return site.id === DEFAULT_SITE_ID ? sub : `${site.key}:${sub}`;
}

/** The sub that the site's login gives the user of a stored id (userIdOf's inverse). */
export function subOf(site: Pick<Site, 'id' | 'key'>, userId: string): string {
  return site.id === DEFAULT_SITE_ID ? userId : userId.slice(site.key.length + 1);
}
