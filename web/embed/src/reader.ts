import type { Reader, SignInTrouble } from './thread-state';

/** The claims of a JWT, read without checking it (the service checks it); null if it does not parse. */
function claimsOf(token: string): Record<string, unknown> | null {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** The first site's key: its readers' ids are their tokens' `sub`, as before sites. */
const FIRST_SITE = 'default';

/**
 * The reader a token of the site `site` names (its `sub` and `name` claims); the service checks the
 * token itself. Their id is the one their comments carry: the `sub` on the first site, `site:sub` on
 * any other (the same `sub` from two sites' logins is two people).
 */
export function readerOf(token: string | null, site: string | null = null): Reader | null {
  const claims = token ? claimsOf(token) : null;
  if (typeof claims?.sub !== 'string') return null;
  const id = site && site !== FIRST_SITE ? `${site}:${claims.sub}` : claims.sub;
  return { id, name: String(claims.name ?? claims.sub) };
}

/**
 * What is wrong with a token, as far as the page can tell: one that is not a JWT naming a reader is
 * invalid, one whose `exp` has passed is expired. A wrong signature only the service can tell.
 */
export function tokenTrouble(token: string | null, nowMs: number): SignInTrouble | null {
  if (!token) return null;
  const claims = claimsOf(token);
  if (typeof claims?.sub !== 'string' || token.split('.').length !== 3) return 'invalid';
  return typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs ? 'expired' : null;
}

/**
 * Why the service refused a token (401): the page's own reading first; else the service's detail,
 * which is the same code for both and says "expired" in its words only.
 */
export function refusalOf(token: string, nowMs: number, detail: string | null): SignInTrouble {
  return tokenTrouble(token, nowMs) ?? (/expired/i.test(detail ?? '') ? 'expired' : 'invalid');
}
