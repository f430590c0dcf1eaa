import { batch, computed, signal } from '@preact/signals';
import { go } from './router';
import { identitySite, setIdentitySite } from './site-choice';

/** What the console reads from a token's claims: for display and for sign-in prompts, not for access (the API decides). */
export interface Claims {
  sub: string;
  name?: string;
  role?: string;
  exp?: number;
}

const KEY = 'comment-desk.token';
const SESSION_KEY = 'comment-desk.session';
/** The place to come back to from the login (its return_to brings the moderator to the desk itself). */
const PLACE_KEY = 'comment-desk.place';

/**
 * A session that Comment Desk holds (signed in with a site's provider): its refresh token, and
 * when to renew the token, by this browser's clock (which may not be the service's).
 */
export interface HeldSession {
  refreshToken: string;
  renewAt: number;
}

/** The moderator's token: kept in sessionStorage (this tab only), never in a cookie or localStorage. */
export const token = signal<string | null>(sessionStorage.getItem(KEY));
/** The session of the token, kept beside it: none for a token from another login. */
export const heldSession = signal<HeldSession | null>(readHeldSession());
/** Set when the API refused the token (expired, revoked): the console asks for a new one and keeps its place. */
export const tokenRefused = signal(false);

export const claims = computed<Claims | null>(() => (token.value ? decodeClaims(token.value) : null));

/**
 * Who is signed in, by which site's login, as what: unchanged when their token is renewed, so
 * that what follows the person (their sites, the live stream) is not asked for again each time.
 */
export const signedInAs = computed<string | null>(() => {
  if (!token.value) return null;
  const c = claims.value;
  return JSON.stringify([identitySite.value, c?.sub ?? token.value, c?.role]);
});

/** A new token, with its session if the console holds one. */
export function setToken(value: string | null, session: HeldSession | null = null): void {
  keep(KEY, value);
  keep(SESSION_KEY, value && session ? JSON.stringify(session) : null);
  batch(() => {
    token.value = value;
    heldSession.value = value ? session : null;
    tokenRefused.value = false;
  });
}

/** The session was refused (it ended): the console asks for a sign-in over the page, which stays. */
export function sessionEnded(): void {
  keep(SESSION_KEY, null);
  batch(() => {
    heldSession.value = null;
    tokenRefused.value = true;
  });
}

function keep(key: string, value: string | null): void {
  if (value) sessionStorage.setItem(key, value);
  else sessionStorage.removeItem(key);
}

function readHeldSession(): HeldSession | null {
  try {
    const held = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as HeldSession | null;
    return typeof held?.refreshToken === 'string' && typeof held.renewAt === 'number' ? held : null;
  } catch {
    return null;
  }
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
