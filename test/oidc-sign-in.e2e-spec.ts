import { AppError } from '../src/errors/app-error';
import { OidcSignIn } from '../src/identity/oidc-sign-in';
import { loginAtProvider } from './support/oidc-login';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';

const REDIRECT_URI = 'http://127.0.0.1:9/sign-in/callback';

async function refusal(completing: Promise<unknown>): Promise<string> {
  const error = await completing.then(
    () => new Error('accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect([(error as AppError).status, (error as AppError).code]).toEqual([401, 'UNAUTHENTICATED']);
  return (error as AppError).message;
}

describe("readers signing in with a site's OpenID provider (code flow with PKCE)", () => {
  let provider: OidcProvider;
  let signIn: OidcSignIn;
  beforeAll(async () => {
    provider = await startOidcProvider({
      redirectUris: [REDIRECT_URI],
      claims: { 'desk-mod': { role: ['staff', 'comments-moderator'], name: 'Mo \u202Ederator' } },
    });
    signIn = new OidcSignIn(
      {
        issuer: provider.issuer,
        signIn: {
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          scopes: ['profile', 'email', 'role'],
        },
        roles: { moderator: ['comments-moderator'] },
      },
      { allowHttpLoopback: true },
    );
  });
  afterAll(() => provider.stop());

  it('sends the reader to the provider with PKCE, and gets who they are from the callback', async () => {
    const attempt = await signIn.start(REDIRECT_URI);
    expect(attempt.url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(attempt.url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile email role',
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
    });
    const callback = await loginAtProvider(attempt.url, 'desk-mod', REDIRECT_URI);
    expect(await signIn.complete(callback, attempt)).toEqual({
      sub: 'desk-mod',
      name: 'Mo derator',
      role: 'moderator',
      email: 'desk-mod@example.test',
      emailVerified: true,
      badges: [],
      expiresAt: expect.any(Number),
    });
  });

  it('refuses a callback for another attempt, a code used twice, and an error from the provider', async () => {
    const attempt = await signIn.start(REDIRECT_URI);
    const other = await signIn.start(REDIRECT_URI);
    const callback = await loginAtProvider(attempt.url, 'reader', REDIRECT_URI);
    expect(await refusal(signIn.complete(callback, other))).toMatch(/^The sign-in could not be completed/);
    expect((await signIn.complete(callback, attempt)).sub).toBe('reader');
    expect(await refusal(signIn.complete(callback, attempt))).toBe('The provider refused the sign-in (invalid_grant)');

    const denied = new URL(REDIRECT_URI);
    denied.search = new URLSearchParams({
      error: 'access_denied',
      state: attempt.state,
      iss: provider.issuer,
    }).toString();
    expect(await refusal(signIn.complete(denied, attempt))).toBe(
      'The sign-in was not completed at the provider (access_denied)',
    );
  });

  it('refuses to start when the provider cannot be reached, and starts once it answers', async () => {
    const late = new OidcSignIn(
      { issuer: provider.issuer, signIn: { clientId: provider.clientId } },
      { allowHttpLoopback: true, fetchTimeoutMs: 1000 },
    );
    await provider.stopAnswering();
    try {
      expect(await refusal(late.start(REDIRECT_URI))).toBe(
        "This site's identity provider could not be reached to sign in: try again shortly",
      );
    } finally {
      await provider.resumeAnswering();
    }
    expect((await late.start(REDIRECT_URI)).url.origin).toBe(provider.issuer);
  });
});
