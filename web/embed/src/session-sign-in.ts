import type { Api } from './api';
import type { Composer } from './composer';
import { emailSignInPanel, type EmailSignInCalls } from './email-sign-in';
import type { Strings } from './i18n';
import { ProviderSignIn } from './provider-sign-in';

/**
 * A thread whose readers sign in to the service's own session rather than through the page's
 * login: with sign-in="provider" (on a site) in its OpenID provider's window, with
 * sign-in="email" by an emailed link. Either way the session is kept and renewed alike.
 */
export class SessionSignIn {
  private readonly session: ProviderSignIn;

  private constructor(
    private readonly how: 'provider' | 'email',
    private readonly base: string,
    private readonly siteKey: string,
    setToken: (token: string | null) => void,
  ) {
    this.session = new ProviderSignIn(base, siteKey, setToken);
  }

  /** For the element's `sign-in` and `site` attributes; null when the page's login signs readers in. */
  static of(how: string | null, site: string | null, base: string, setToken: (token: string | null) => void) {
    if (how === 'email') return new SessionSignIn('email', base, site ?? 'default', setToken);
    return how === 'provider' && site ? new SessionSignIn('provider', base, site, setToken) : null;
  }

  /** Signs the reader in: the provider's window, or the email form (in the thread's language) in the composer. */
  begin(
    composer: Composer,
    api: Api,
    t: Strings,
    lang: string,
    calls: Pick<EmailSignInCalls, 'cancel' | 'errorText'>,
  ): void {
    if (this.how === 'provider') return void this.session.signIn();
    composer.showSignIn(
      emailSignInPanel(t, this.base, this.siteKey, {
        ...calls,
        ask: (address, name, pickup) =>
          api.askEmailLink(this.siteKey, { origin: location.origin, lang, address, name, pickup }),
        signedIn: (session) => this.session.use(session),
      }),
    );
  }

  /** Signs the reader in again from the session this page kept, if it lasts. */
  resume = (): Promise<void> => this.session.resume();

  stop = (): void => this.session.stop();
}
