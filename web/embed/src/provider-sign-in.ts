/**
 * Signing in with the site's own OpenID provider (`sign-in="provider"`), in a window: the page
 * keeps a secret and gives the service only its hash; once the reader is back from the provider,
 * the service hands the session's tokens to whoever shows the secret. Nothing passes through
 * the window, which a provider's page may cut off from this one.
 */
export interface ProviderSession {
  accessToken: string;
  /** null: keep the refresh token already stored (another tab replaced it a moment ago). */
  refreshToken: string | null;
  expiresIn: number;
}

const POLL_MS = 1000;

export const base64url = (bytes: Uint8Array) =>
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

/** Asks the service once for the tokens of the sign-in `secret` began: the answer's status (200 with them, 202 not yet). */
export async function pickup(base: string, site: string, secret: string): Promise<Response | null> {
  return fetch(`${base}/api/sites/${encodeURIComponent(site)}/sign-in/pickup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ pickup: secret }),
  }).catch(() => null);
}

/** The session, or null when the reader closed the window or the sign-in failed there. */
export async function signInWithProvider(base: string, site: string): Promise<ProviderSession | null> {
  // Opened on the click itself: a window opened after an await is blocked as a pop-up.
  const popup = open('about:blank', 'comment-desk-sign-in', 'popup,width=480,height=680');
  if (!popup) return null;
  const { secret, hash } = await pickupPair();
  const at = `${base}/api/sites/${encodeURIComponent(site)}/sign-in`;
  // Begun here, so that the sign-in exists before its pickup is asked for; the window then goes to the provider.
  const begun = await fetch(`${at}?origin=${encodeURIComponent(location.origin)}&pickup=${hash}`, {
    headers: { Accept: 'application/json' },
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

/** A new access token for a stored refresh token; null once the session has ended. */
export async function refreshSession(base: string, refreshToken: string): Promise<ProviderSession | null> {
  const res = await fetch(`${base}/api/sessions/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  }).catch(() => null);
  return res?.status === 200 ? ((await res.json()) as ProviderSession) : null;
}

/**
 * A thread's sign-in with a session of the service's own (its site's provider, or an emailed
 * link): keeps the refresh token in the page's storage, renews the access token a minute before
 * it expires, and resumes after a reload.
 */
export class ProviderSignIn {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly base: string,
    private readonly site: string,
    private readonly setToken: (token: string | null) => void,
  ) {}

  private get key(): string {
    return `comment-desk:${this.site}:refresh`;
  }

  async signIn(): Promise<void> {
    const session = await signInWithProvider(this.base, this.site);
    if (session) this.use(session);
  }

  /** Signs the reader in again from the refresh token this page stored, if the session lasts. */
  async resume(): Promise<void> {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(this.key);
    } catch {
      return;
    }
    if (!stored) return;
    const session = await refreshSession(this.base, stored);
    if (session) return this.use(session);
    localStorage.removeItem(this.key);
    this.setToken(null);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  use(session: ProviderSession): void {
    try {
      if (session.refreshToken) localStorage.setItem(this.key, session.refreshToken);
    } catch {
      // (Storage refused: the sign-in lasts as long as the page.)
    }
    this.setToken(session.accessToken);
    this.stop();
    this.timer = setTimeout(() => void this.resume(), Math.max(30, session.expiresIn - 60) * 1000);
  }
}
