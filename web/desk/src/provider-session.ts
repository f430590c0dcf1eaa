import { batch, effect, signal } from '@preact/signals';
import { endSession, ProviderSession, refreshSession, signInWithProvider } from '../../shared/provider-sign-in';
import { claims, refreshToken, sessionEnded, setToken, tokenRefused } from './session';
import { setIdentitySite } from './site-choice';

/** A site the console can sign moderators in with: its own OpenID provider. */
export interface SignInSite {
  key: string;
  name: string;
}

/** The token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 60_000;
/** When the service could not say whether the session lasts, it is asked again after this long. */
const RETRY_MS = 5_000;

/** The sites with a provider to sign in with (empty until known, or if the service cannot say). */
export const signInSites = signal<SignInSite[]>([]);
let sitesAsked = false;

export function loadSignInSites(): void {
  if (sitesAsked) return;
  sitesAsked = true;
  // Without the token: a stale one would be refused even here.
  fetch('/api/sign-in/sites')
    .then((r) => (r.ok ? (r.json() as Promise<{ items: SignInSite[] }>) : { items: [] }))
    .then(
      ({ items }) => (signInSites.value = items),
      () => (sitesAsked = false),
    );
}

/**
 * Signs in with the site's provider, in a window opened on this click; false when the moderator
 * closed the window or the sign-in failed there. The site's login is then the token's.
 */
export async function signInWith(site: string): Promise<boolean> {
  const session = await signInWithProvider(location.origin, site);
  if (!session?.refreshToken) return false;
  batch(() => {
    setIdentitySite(site);
    setToken(session.accessToken, session.refreshToken);
  });
  return true;
}

/** Signs out: the session ends at the service too, not only in this tab. */
export async function signOut(): Promise<void> {
  const held = refreshToken.value;
  setToken(null);
  if (held) await endSession(location.origin, held);
}

/**
 * While the console holds a session's refresh token, renews the token a minute before it expires,
 * and at once when the API refused it; when the session has ended, asks for a sign-in.
 */
export function keepSessionFresh(): () => void {
  let renewing: string | null = null;
  const renew = async (held: string) => {
    if (renewing === held) return;
    renewing = held;
    try {
      for (;;) {
        let session: ProviderSession | null;
        try {
          session = await refreshSession(location.origin, held);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (refreshToken.value !== held) return;
          continue;
        }
        // (Signed out, or signed in anew, meanwhile: that answer is of no use.)
        if (refreshToken.value !== held) return;
        if (!session) return sessionEnded();
        return setToken(session.accessToken, session.refreshToken ?? held);
      }
    } finally {
      if (renewing === held) renewing = null;
    }
  };
  return effect(() => {
    const held = refreshToken.value;
    if (!held) return;
    const exp = claims.value?.exp;
    const due = tokenRefused.value || !exp ? 0 : Math.max(0, exp * 1000 - Date.now() - RENEW_BEFORE_MS);
    const timer = setTimeout(() => void renew(held), due);
    return () => clearTimeout(timer);
  });
}
