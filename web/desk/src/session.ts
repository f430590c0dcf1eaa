import { batch, computed, signal } from '@preact/signals';
import { go } from './router';
import { setIdentitySite } from './site-choice';

/** What the console reads from a token's claims: for display and for sign-in prompts, not for access (the API decides). */
export interface Claims {
  sub: string;
  name?: string;
  role?: string;
  exp?: number;
}

const KEY = 'comment-desk.token';
const REFRESH_KEY = 'comment-desk.refresh';
/** The place to come back to from the login (its return_to brings the moderator to the desk itself). */
const PLACE_KEY = 'comment-desk.place';

/** The moderator's token: kept in sessionStorage (this tab only), never in a cookie or localStorage. */
export const token = signal<string | null>(sessionStorage.getItem(KEY));
/**
 * The refresh token of a session that Comment Desk holds (signed in with a site's provider), kept
 * beside the token: the console renews the token with it. None for a token from another login.
 */
export const refreshToken = signal<string | null>(sessionStorage.getItem(REFRESH_KEY));
/** Set when the API refused the token (expired, revoked): the console asks for a new one and keeps its place. */
export const tokenRefused = signal(false);

export const claims = computed<Claims | null>(() => (token.value ? decodeClaims(token.value) : null));

/** A new token, and the refresh token of its session if the console holds one (a token from elsewhere has none). */
export function setToken(value: string | null, refresh: string | null = null): void {
  keep(KEY, value);
  keep(REFRESH_KEY, value ? refresh : null);
  batch(() => {
    token.value = value;
    refreshToken.value = value ? refresh : null;
    tokenRefused.value = false;
  });
}

/** The session's refresh token was refused (it ended): the console asks for a sign-in, keeping the page. */
export function sessionEnded(): void {
  keep(REFRESH_KEY, null);
  batch(() => {
    refreshToken.value = null;
    tokenRefused.value = true;
  });
}

function keep(key: string, value: string | null): void {
  if (value) sessionStorage.setItem(key, value);
  else sessionStorage.removeItem(key);
}

/** A token handed over in the URL fragment (`#token=…`, from the login) is taken and removed from the address bar. */
export function takeTokenFromFragment(): void {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const handed = fragment.get('token');
  if (!handed) return;
  // The login may say whose it is (`#token=…&site=KEY`): its token is checked by that site's login.
  const site = fragment.get('site');
  if (site !== null) setIdentitySite(site || null);
  setToken(handed);
  const place = sessionStorage.getItem(PLACE_KEY) ?? '#/queue/pending';
  sessionStorage.removeItem(PLACE_KEY);
  go(place, true);
}

export function decodeClaims(jwt: string): Claims | null {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    const parsed = JSON.parse(json) as Claims;
    return typeof parsed.sub === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** Whether the token has run out by its own `exp` (the API is the judge; this only asks sooner). */
export function expired(c: Claims | null, now = Date.now()): boolean {
  return c?.exp !== undefined && c.exp * 1000 <= now;
}

/** Where "Sign in" goes: the publisher's login, asked to come back to the desk; the place is kept for then. */
export function loginHref(loginUrl: string): string {
  if (location.hash.startsWith('#/')) sessionStorage.setItem(PLACE_KEY, location.hash);
  const url = new URL(loginUrl, location.href);
  const back = new URL(location.href);
  back.hash = '';
  url.searchParams.set('return_to', `${back}`);
  return `${url}`;
}
