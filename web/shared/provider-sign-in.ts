/**
 * Signing in with a site's own OpenID provider, in a window, for the embed and the console alike:
 * the page keeps a secret and gives the service only its hash; once the person is back from the
 * provider, the service hands the session's tokens to whoever shows the secret. Nothing passes
 * through the window, which a provider's page may cut off from this one.
 */
export interface ProviderSession {
  accessToken: string;
  /** null: keep the refresh token already stored (another tab replaced it a moment ago). */
  refreshToken: string | null;
  expiresIn: number;
}

/** The service could not say whether the session lasts (unreachable, or failing): try again later. */
export class SessionUnknown extends Error {}

const POLL_MS = 1000;

/**
 * The site's header on every call, though none carries a token: the service checks the page's
 * origin against the site named (without it, against the first site's).
 */
const siteHeader = (site: string | undefined): Record<string, string> => (site ? { 'Comment-Desk-Site': site } : {});

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A secret for the page to collect its tokens with, and its hash for the service. */
export async function pickupPair(): Promise<{ secret: string; hash: string }> {
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const hash = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))));
  return { secret, hash };
}

/** Asks the service once for the tokens of the sign-in `secret` began: 200 with them, 202 not yet; null unreachable. */
export function pickup(base: string, site: string, secret: string): Promise<Response | null> {
  return fetch(`${base}/api/sites/${encodeURIComponent(site)}/sign-in/pickup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...siteHeader(site) },
    body: JSON.stringify({ pickup: secret }),
  }).catch(() => null);
}

/**
 * The session, or null when the person closed the window or the sign-in failed there. Call it on
 * the click itself: a window opened after an await is blocked as a pop-up.
 */
export async function signInWithProvider(base: string, site: string): Promise<ProviderSession | null> {
  const popup = open('about:blank', 'comment-desk-sign-in', 'popup,width=480,height=680');
  if (!popup) return null;
  const { secret, hash } = await pickupPair();
  const at = `${base}/api/sites/${encodeURIComponent(site)}/sign-in`;
  // Begun here, so that the sign-in exists before its pickup is asked for; the window then goes to the provider.
  const begun = await fetch(`${at}?origin=${encodeURIComponent(location.origin)}&pickup=${hash}`, {
    headers: { Accept: 'application/json', ...siteHeader(site) },
  }).catch(() => null);
  if (!begun?.ok) {
    popup.close();
    return null;
  }
  popup.location.href = ((await begun.json()) as { url: string }).url;
  let woken: () => void = () => undefined;
  const wake = (event: MessageEvent) => {
    if (event.origin === new URL(at, location.href).origin) woken();
  };
  addEventListener('message', wake);
  try {
    for (;;) {
      const closed = popup.closed;
      const res = await pickup(base, site, secret);
      if (res?.status === 200) return (await res.json()) as ProviderSession;
      if ((res && res.status !== 202) || closed) return null;
      await new Promise<void>((resolve) => {
        woken = resolve;
        setTimeout(resolve, POLL_MS);
      });
    }
  } finally {
    removeEventListener('message', wake);
  }
}

/**
 * A new access token for a refresh token; null once the session has ended (signed out, expired,
 * or its token used twice). Throws SessionUnknown when the service cannot say.
 */
export async function refreshSession(
  base: string,
  refreshToken: string,
  site?: string,
): Promise<ProviderSession | null> {
  const res = await fetch(`${base}/api/sessions/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...siteHeader(site) },
    body: JSON.stringify({ refreshToken }),
  }).catch(() => null);
  if (res?.status === 200) return (await res.json()) as ProviderSession;
  if (res?.status === 401 || res?.status === 400) return null;
  throw new SessionUnknown(res ? `The service answered ${res.status}` : 'The service cannot be reached');
}

/** Ends the session of a refresh token at the service; the page forgets its tokens itself. */
export async function endSession(base: string, refreshToken: string, site?: string): Promise<boolean> {
  const res = await fetch(`${base}/api/sessions/sign-out`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...siteHeader(site) },
    body: JSON.stringify({ refreshToken }),
    keepalive: true, // (sent even if the page is closed or reloaded at once)
  }).catch(() => null);
  return res?.status === 204;
}

/** When to renew a session's access token: a minute before it expires, and not sooner than in half a minute. */
export const renewInMs = (expiresIn: number): number => Math.max(30, expiresIn - 60) * 1000;
