import { ProviderSession, refreshSession, renewInMs, signInWithProvider } from '../../shared/provider-sign-in';

/** When the service could not be asked whether a stored session lasts, ask again after this long. */
const RETRY_MS = 30_000;

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
    let session: ProviderSession | null;
    try {
      session = await refreshSession(this.base, stored, this.site);
    } catch {
      // (Not known whether it lasts: the stored token is kept, and asked about again.)
      this.stop();
      this.timer = setTimeout(() => void this.resume(), RETRY_MS);
      return;
    }
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
    this.timer = setTimeout(() => void this.resume(), renewInMs(session.expiresIn));
  }
}
