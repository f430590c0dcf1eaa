import { batch, effect, signal } from '@preact/signals';
import {
  endSession,
  ProviderSession,
  refreshSession,
  renewInMs,
  signInWithProvider,
} from '../../shared/provider-sign-in';
import { heldSession, HeldSession, sessionEnded, setToken, tokenRefused } from './session';
import { identitySite, setIdentitySite } from './site-choice';

/** A site the console can sign moderators in with: its own OpenID provider. */
export interface SignInSite {
  key: string;
  name: string;
}

/** When the service could not say whether the session lasts, it is asked again after this long. */
const RETRY_MS = 5_000;
/** A token the API refuses just after it was renewed is not renewed again sooner than this. */
const RENEWED_LATELY_MS = 10_000;

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
    setToken(session.accessToken, held(session, session.refreshToken!));
  });
  return true;
}

/** The session as the console keeps it: when to renew is reckoned by this browser's clock, not the token's exp. */
const held = (session: ProviderSession, refreshToken: string): HeldSession => ({
  refreshToken,
  renewAt: Date.now() + renewInMs(session.expiresIn),
});

/** Signs out: the session ends at the service too, not only in this tab. */
export async function signOut(): Promise<void> {
  const session = heldSession.value;
  const site = identitySite.value ?? undefined;
  setToken(null);
  if (session) await endSession(location.origin, session.refreshToken, site);
}

/**
 * While the console holds a session, renews its token a minute before it expires, and at once
 * when the API refused it; when the session has ended, asks for a sign-in.
 */
export function keepSessionFresh(): () => void {
  let renewing: string | null = null;
  let renewedAt = 0;
  const current = () => heldSession.value?.refreshToken;
  const renew = async (refreshToken: string) => {
    if (renewing === refreshToken) return;
    renewing = refreshToken;
    try {
      for (;;) {
        let session: ProviderSession | null;
        try {
          session = await refreshSession(location.origin, refreshToken, identitySite.peek() ?? undefined);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (current() !== refreshToken) return;
          continue;
        }
        // (Signed out, or signed in anew, meanwhile: that answer is of no use.)
        if (current() !== refreshToken) return;
        if (!session) return sessionEnded();
        renewedAt = Date.now();
        return setToken(session.accessToken, held(session, session.refreshToken ?? refreshToken));
      }
    } finally {
      if (renewing === refreshToken) renewing = null;
    }
  };
  return effect(() => {
    const session = heldSession.value;
    if (!session) return;
    const due = tokenRefused.value ? renewedAt + RENEWED_LATELY_MS : session.renewAt;
    const timer = setTimeout(() => void renew(session.refreshToken), Math.max(0, due - Date.now()));
    return () => clearTimeout(timer);
  });
}
