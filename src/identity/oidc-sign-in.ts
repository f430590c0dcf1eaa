import * as client from 'openid-client';
import { AppError } from '../errors/app-error';
import { IdentityVerifier, IdentityVerifierOptions } from './identity-verifier';
import { VerifiedIdentity } from './identity-claims';
import { SiteIdentity, SiteSignIn } from './site-identity';

/** What the caller keeps (in the reader's session) between the redirect and the callback. */
export interface SignInAttempt {
  /** Where to send the reader's browser. */
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

const DEFAULT_SCOPES = ['profile', 'email'];

/**
 * A site's readers signing in with its OpenID provider: the authorization code flow with PKCE.
 * The ID token is then checked by the site's own rules (IdentityVerifier), its audience being the
 * client.
 */
export class OidcSignIn {
  private readonly signIn: SiteSignIn;
  private readonly verifier: IdentityVerifier;
  private config?: Promise<client.Configuration>;

  constructor(
    private readonly identity: SiteIdentity,
    private readonly options: IdentityVerifierOptions = {},
  ) {
    if (!identity.issuer || !identity.signIn) throw new Error('Signing in needs an issuer and signIn');
    this.signIn = identity.signIn;
    // ID tokens are signed with the provider's published keys, whatever else the site verifies with.
    this.verifier = new IdentityVerifier(
      { issuer: identity.issuer, audience: identity.signIn.clientId, claims: identity.claims, roles: identity.roles },
      options,
    );
  }

  /** The provider's authorization URL for this reader, and what the callback will be checked against. */
  async start(redirectUri: string): Promise<SignInAttempt> {
    const config = await this.configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: [...new Set(['openid', ...(this.signIn.scopes ?? DEFAULT_SCOPES)])].join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier, redirectUri };
  }

  /** The reader the provider's callback names: the code exchanged, its ID token verified. */
  async complete(callbackUrl: URL | string, attempt: Omit<SignInAttempt, 'url'>): Promise<VerifiedIdentity> {
    const config = await this.configuration();
    let idToken: string | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(
        config,
        new URL(callbackUrl),
        {
          pkceCodeVerifier: attempt.codeVerifier,
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: attempt.redirectUri },
      );
      idToken = tokens.id_token;
    } catch (error) {
      throw AppError.unauthenticated(signInRefusal(error));
    }
    if (!idToken) throw AppError.unauthenticated('The sign-in could not be completed: the provider sent no ID token');
    return this.verifier.verify(idToken);
  }

  /** Discovered once; a failed discovery is tried again by the next sign-in. */
  private configuration(): Promise<client.Configuration> {
    this.config ??= client
      .discovery(
        new URL(this.identity.issuer!),
        this.signIn.clientId,
        undefined,
        this.signIn.clientSecret ? client.ClientSecretBasic(this.signIn.clientSecret) : client.None(),
        {
          timeout: Math.max(1, Math.ceil((this.options.fetchTimeoutMs ?? 5_000) / 1000)),
          execute:
            this.options.allowHttpLoopback && isLoopback(this.identity.issuer!) ? [client.allowInsecureRequests] : [],
        },
      )
      .catch(() => {
        this.config = undefined;
        throw AppError.unauthenticated(
          "This site's identity provider could not be reached to sign in: try again shortly",
        );
      });
    return this.config;
  }
}

const isLoopback = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function signInRefusal(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError) {
    return `The sign-in was not completed at the provider (${error.error})`;
  }
  if (error instanceof client.ResponseBodyError) {
    return `The provider refused the sign-in (${error.error})`;
  }
  return `The sign-in could not be completed: ${describe(error)}`;
}
