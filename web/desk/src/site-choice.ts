import { computed, signal } from '@preact/signals';
import type { MySite } from './api/sites';
import { go, href, route } from './router';

/** "All my sites": the queues and search of every site the moderator holds a role on. */
export const ALL_SITES = 'all';

const CHOICE_KEY = 'comment-desk.site';
const IDENTITY_KEY = 'comment-desk.identity-site';

/** The sites the moderator holds a role on (null until /api/me has said). */
export const mySites = signal<MySite[] | null>(null);

/** The site whose login made the token (sent as Comment-Desk-Site); null: the first site. Kept with the token, in this tab. */
export const identitySite = signal<string | null>(sessionStorage.getItem(IDENTITY_KEY));

export function setIdentitySite(key: string | null): void {
  if (key) sessionStorage.setItem(IDENTITY_KEY, key);
  else sessionStorage.removeItem(IDENTITY_KEY);
  identitySite.value = key;
}

const kept = signal<string | null>(localStorage.getItem(CHOICE_KEY));

/**
 * The site chosen in the switcher: the URL's (links and reloads keep it), else the last one
 * chosen, checked against the moderator's sites once known (else their first).
 */
export const siteChoice = computed<string | null>(() => {
  const asked = route.value.params.get('site') ?? kept.value;
  const sites = mySites.value;
  if (!sites) return asked;
  if (asked === ALL_SITES && sites.length > 1) return ALL_SITES;
  return sites.find((s) => s.key === asked)?.key ?? sites[0]?.key ?? null;
});

/** The site that pages of one site (articles, settings, log…) act on: the choice, or under "All my sites" the first. */
export const oneSite = computed<string | null>(() =>
  siteChoice.value === ALL_SITES ? (mySites.value?.[0]?.key ?? null) : siteChoice.value,
);

export const siteName = (key: string | null | undefined): string =>
  mySites.value?.find((s) => s.key === key)?.name ?? key ?? '';

/** Switches site, staying on the same page: the URL and localStorage keep the choice. */
export function chooseSite(key: string): void {
  localStorage.setItem(CHOICE_KEY, key);
  kept.value = key;
  const { page, parts, params } = route.value;
  const rest = Object.fromEntries(params);
  // A user or an article belongs to one site: the list of the new site is the place to go.
  const samePlace = page === 'queue' || page === 'search' || page === 'settings' ? parts : [];
  go(href(page, samePlace, { ...rest, site: key }));
}

/** GET lists that can span every site the moderator holds a role on (`?site=all`). */
const SPANS_SITES = [
  /^\/api\/moderation\/queue\/[^/]+$/,
  /^\/api\/moderation\/comments$/,
  /^\/api\/moderation\/stream$/,
];

/** The first site's key, made so by the migration that brought sites (keys never change). */
const FIRST_SITE = 'default';

/** The `site` a request to the API carries: `all` for the lists that take it, else one site. */
export function siteOfRequest(method: string, path: string): string | null {
  const sites = mySites.value;
  // A moderator of their own login's site alone sends what they sent before there were sites.
  if (sites?.length === 1 && sites[0].key === (identitySite.value ?? FIRST_SITE)) return null;
  if (method === 'GET' && siteChoice.value === ALL_SITES && SPANS_SITES.some((p) => p.test(path))) return ALL_SITES;
  return oneSite.value;
}

/**
 * The sites that lists ask for, as their requests name them: what a list reloads on. (Not the
 * choice itself, which /api/me settles after the first page may be drawn: a list reloaded then
 * would lose the moderator's place and focus.)
 */
export const listSite = computed(() => siteOfRequest('GET', '/api/moderation/queue/pending'));
export const pageSite = computed(() => siteOfRequest('GET', '/api/moderation/log'));

/** The site of the moderators' stream: a computed value, so that the stream starts again on a switch only. */
export const streamSite = computed(() => siteOfRequest('GET', '/api/moderation/stream'));

/** The headers and query that name the sites of a request made outside the typed client (uploads, the stream). */
export function withSites(url: string, method = 'GET'): { url: string; headers: Record<string, string> } {
  const target = new URL(url, location.origin);
  const site = siteOfRequest(method, target.pathname);
  if (site && !target.searchParams.has('site')) target.searchParams.set('site', site);
  return {
    url: `${target.pathname}${target.search}`,
    headers: identitySite.value ? { 'Comment-Desk-Site': identitySite.value } : {},
  };
}

/** The moderator's role on the site acted on. */
export const roleHere = () => mySites.value?.find((s) => s.key === oneSite.value)?.role;
export const isAdminHere = () => roleHere() === 'admin';
