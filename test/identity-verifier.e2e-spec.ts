import * as jose from 'jose';
import * as client from 'openid-client';
import { generateKeyPairSync } from 'node:crypto';
import { AppError } from '../src/errors/app-error';
import { IdentityVerifier, IdentityVerifierOptions } from '../src/identity/identity-verifier';
import { SiteIdentity } from '../src/identity/site-identity';
import { loginAtProvider } from './support/oidc-login';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';

const LOOPBACK: IdentityVerifierOptions = { allowHttpLoopback: true };
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** The verifier's refusal: always a 401 problem, never a 500, with the detail the client sees. */
async function refusal(verifying: Promise<unknown>): Promise<string> {
  const error = await verifying.then(
    () => {
      throw new Error('the token was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect([(error as AppError).status, (error as AppError).code]).toEqual([401, 'UNAUTHENTICATED']);
  return (error as AppError).message;
}

/** Calls again until it resolves (a cooldown passing), or fails at the deadline with the last error. */
async function eventually<T>(attempt: () => Promise<T>, deadlineMs = 5_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('a site whose tokens come from an OpenID provider', () => {
  let provider: OidcProvider;
  beforeAll(async () => {
    provider = await startOidcProvider({ redirectUris: ['http://127.0.0.1:9/callback'] });
  });
  afterAll(() => provider.stop());
  beforeEach(() => provider.resumeAnswering());

  it('verifies tokens with the keys its discovery document names, fetched once', async () => {
    const verifier = new IdentityVerifier({ issuer: provider.issuer }, LOOPBACK);
    await provider.resetCounts();
    for (const sub of ['alice', 'bob', 'carol']) {
      const token = await provider.mintToken({
        sub,
        name: `${sub} \u202Eevil`,
        role: 'moderator',
        email: `${sub}@x.test`,
      });
      expect(await verifier.verify(token)).toEqual({
        sub,
        name: `${sub} evil`,
        role: 'moderator',
        email: `${sub}@x.test`,
        emailVerified: false,
        badges: [],
        expiresAt: expect.any(Number),
      });
    }
    expect(await provider.requests()).toEqual({ '/.well-known/openid-configuration': 1, '/jwks': 1 });
  });

  it('takes a jwksUrl without discovery, and requires iss only when an issuer is set', async () => {
    const verifier = new IdentityVerifier({ jwksUrl: provider.jwksUrl }, LOOPBACK);
    const token = await provider.mintToken({ sub: 'dave', iss: null });
    expect((await verifier.verify(token)).sub).toBe('dave');
  });

  it('refuses a token of another issuer, alg none, and HS256 signed with a public key', async () => {
    const verifier = new IdentityVerifier({ issuer: provider.issuer }, LOOPBACK);
    expect(
      await refusal(verifier.verify(await provider.mintToken({ sub: 'eve', iss: 'https://login.evil.example' }))),
    ).toBe("The bearer token was issued by another issuer than this site's");
    const other = await startOidcProvider();
    try {
      expect(await refusal(verifier.verify(await other.mintToken({ sub: 'eve', iss: provider.issuer })))).toBe(
        'The bearer token is signed with a key this site does not know',
      );
    } finally {
      await other.stop();
    }
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'eve', iss: provider.issuer, exp: now() + 60 })}.`;
    expect(await refusal(verifier.verify(none))).toBe('The bearer token is not valid');

    // The provider's published key, as text, used as an HMAC secret: the classic confusion.
    const { keys } = (await (await fetch(provider.jwksUrl)).json()) as { keys: jose.JWK[] };
    const pem = await jose.exportSPKI((await jose.importJWK(keys[0], 'RS256')) as jose.CryptoKey);
    for (const secret of [pem, JSON.stringify(keys[0])]) {
      const confused = await new jose.SignJWT({ sub: 'eve', iss: provider.issuer })
        .setProtectedHeader({ alg: 'HS256', kid: keys[0].kid })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret));
      expect(await refusal(verifier.verify(confused))).toBe('The bearer token is not valid');
    }
  });

  it('checks aud when the site sets an audience, and exp, nbf as the installation always did', async () => {
    const verifier = new IdentityVerifier({ issuer: provider.issuer, audience: 'comments' }, LOOPBACK);
    expect((await verifier.verify(await provider.mintToken({ sub: 'a', aud: ['x', 'comments'] }))).sub).toBe('a');
    expect(await refusal(verifier.verify(await provider.mintToken({ sub: 'a', aud: 'other' })))).toBe(
      'The bearer token is meant for another audience than this site',
    );
    expect(
      await refusal(verifier.verify(await provider.mintToken({ sub: 'a', aud: 'comments', exp: now() - 5 }))),
    ).toBe('The bearer token has expired: sign in again');
    expect(await refusal(verifier.verify(await provider.mintToken({ sub: 'a', aud: 'comments', exp: null })))).toBe(
      'The bearer token has no exp claim: tokens must say when they expire',
    );
    expect(
      await refusal(verifier.verify(await provider.mintToken({ sub: 'a', aud: 'comments', nbf: now() + 600 }))),
    ).toBe('The bearer token is not valid yet (nbf)');
  });

  it('maps claims: Keycloak realm roles, an Auth0 namespaced claim, email_verified, badges', async () => {
    const keycloak = new IdentityVerifier(
      {
        issuer: provider.issuer,
        claims: { name: 'preferred_username', role: 'realm_access.roles' },
        roles: { moderator: ['comments-moderator'], admin: ['comments-admin'] },
      },
      LOOPBACK,
    );
    const kc = (roles: unknown) =>
      provider.mintToken({
        sub: 'f81d4fae-7dec',
        preferred_username: 'kim',
        email: 'kim@x.test',
        email_verified: true,
        realm_access: { roles },
      });
    expect(await keycloak.verify(await kc(['offline_access', 'comments-moderator']))).toMatchObject({
      sub: 'f81d4fae-7dec',
      name: 'kim',
      role: 'moderator',
      email: 'kim@x.test',
      emailVerified: true,
    });
    expect((await keycloak.verify(await kc(['comments-moderator', 'comments-admin']))).role).toBe('admin');
    expect((await keycloak.verify(await kc(['uma_authorization']))).role).toBe('commenter');
    expect((await keycloak.verify(await kc('moderator'))).role).toBe('commenter');

    const auth0 = new IdentityVerifier(
      {
        issuer: provider.issuer,
        claims: { role: 'https://news.example/roles', badges: 'https://news.example/badges' },
        roles: { moderator: ['Moderator'], admin: ['Admin'] },
      },
      LOOPBACK,
    );
    const token = await provider.mintToken({
      sub: 'auth0|123',
      name: 'Ann',
      email: 'ann@x.test',
      email_verified: false,
      'https://news.example/roles': ['Moderator'],
      'https://news.example/badges': ['subscriber', 42, 'x'.repeat(500), 'subscriber', 'staff \u202E'],
    });
    expect(await auth0.verify(token)).toMatchObject({
      sub: 'auth0|123',
      role: 'moderator',
      emailVerified: false,
      badges: ['subscriber', 'staff'],
    });
  });

  it('refuses the claims the installation always refused', async () => {
    const verifier = new IdentityVerifier({ issuer: provider.issuer }, LOOPBACK);
    const refused = async (claims: Record<string, unknown>) =>
      refusal(verifier.verify(await provider.mintToken(claims)));
    expect(await refused({ name: 'no sub' })).toBe('The token has no usable sub claim');
    expect(await refused({ sub: 'x'.repeat(201) })).toBe('The token has no usable sub claim');
    expect(await refused({ sub: 'a', name: { first: 'a' } })).toBe('The token has an unusable name claim');
    expect(await refused({ sub: 'a\u0000b' })).toBe('The token has unusable claims');
  });

  it('the authorization code flow with PKCE gives an id_token the verifier accepts', async () => {
    const redirectUri = 'http://127.0.0.1:9/callback';
    const config = await client.discovery(
      new URL(provider.issuer),
      provider.clientId,
      provider.clientSecret,
      undefined,
      {
        execute: [client.allowInsecureRequests],
      },
    );
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email role',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await loginAtProvider(authorizationUrl, 'reader-7', redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const verifier = new IdentityVerifier({ issuer: provider.issuer, audience: provider.clientId }, LOOPBACK);
    expect(await verifier.verify(tokens.id_token!)).toMatchObject({
      sub: 'reader-7',
      name: 'reader-7 name',
      email: 'reader-7@example.test',
      emailVerified: true,
      role: 'commenter',
    });
  });
});

describe("a provider's keys over time", () => {
  let provider: OidcProvider;
  beforeEach(async () => {
    provider = await startOidcProvider();
  });
  afterEach(() => provider.stop());

  it('during a rotation old and new keys verify; once the old one is gone and keys are fetched again, it does not', async () => {
    const verifier = new IdentityVerifier({ issuer: provider.issuer }, { ...LOOPBACK, refetchCooldownMs: 200 });
    const { signing: old } = await provider.keys();
    expect((await verifier.verify(await provider.mintToken({ sub: 'before' }))).sub).toBe('before');

    const { kid: current } = await provider.rotateKeys();
    await eventually(async () => verifier.verify(await provider.mintToken({ sub: 'after' }, { kid: current })));
    expect((await verifier.verify(await provider.mintToken({ sub: 'old-key' }, { kid: old }))).sub).toBe('old-key');

    await provider.dropKey(old);
    const { kid: newest } = await provider.rotateKeys();
    // The newest kid makes the verifier fetch the set again, which no longer has the old key.
    await eventually(async () => verifier.verify(await provider.mintToken({ sub: 'newest' }, { kid: newest })));
    expect(await refusal(verifier.verify(await provider.mintToken({ sub: 'late' }, { kid: old })))).toBe(
      'The bearer token is signed with a key this site does not know',
    );
    expect((await verifier.verify(await provider.mintToken({ sub: 'current' }, { kid: current }))).sub).toBe('current');
  });

  it('an unknown kid makes one fetch of the keys per cooldown, not one per request', async () => {
    const verifier = new IdentityVerifier({ jwksUrl: provider.jwksUrl }, { ...LOOPBACK, refetchCooldownMs: 300 });
    const { kid: unknown } = await provider.rotateKeys();
    await provider.dropKey(unknown);
    await provider.resetCounts();
    const forged = () => provider.mintToken({ sub: 'mallory', jti: String(Math.random()) }, { kid: unknown });
    const refusedTen = async () => {
      const refusals = await Promise.all([1, 2, 3, 4, 5].map(async () => refusal(verifier.verify(await forged()))));
      for (let i = 0; i < 5; i++) refusals.push(await refusal(verifier.verify(await forged())));
      expect(new Set(refusals)).toEqual(new Set(['The bearer token is signed with a key this site does not know']));
    };
    await refusedTen();
    expect(await provider.requests()).toEqual({ '/jwks': 1 });
    // Once the cooldown has passed, the next unknown kid fetches the keys again, once.
    await eventually(async () => {
      await refusal(verifier.verify(await forged()));
      expect(await provider.requests()).toEqual({ '/jwks': 2 });
    });
    await refusedTen();
    expect(await provider.requests()).toEqual({ '/jwks': 2 });
  });

  it('a provider that stops answering: known keys keep verifying, new kids are refused in time (401)', async () => {
    const timeout = 500;
    const verifier = new IdentityVerifier(
      { issuer: provider.issuer },
      // Keys older than 0 ms are due a refresh: every verification asks, and the asking must not hurt.
      { ...LOOPBACK, fetchTimeoutMs: timeout, refetchCooldownMs: 0, refreshAfterMs: 0 },
    );
    const { signing: known } = await provider.keys();
    await verifier.verify(await provider.mintToken({ sub: 'warm' }));
    const { kid: unseen } = await provider.rotateKeys();
    const tokens = await Promise.all(['a', 'b', 'c'].map((sub) => provider.mintToken({ sub }, { kid: known })));
    const newKid = await provider.mintToken({ sub: 'new' }, { kid: unseen });
    await provider.stopAnswering();

    for (const token of tokens) {
      const started = Date.now();
      expect((await verifier.verify(token)).sub).toMatch(/^[abc]$/);
      expect(Date.now() - started).toBeLessThan(timeout);
    }
    const started = Date.now();
    expect(await refusal(verifier.verify(newKid))).toBe(
      "This site's identity provider could not be reached to check the bearer token: try again shortly",
    );
    expect(Date.now() - started).toBeLessThan(timeout + 1_000);
    expect((await provider.requests())['/jwks']).toBeGreaterThanOrEqual(2);

    await provider.resumeAnswering();
    expect((await eventually(() => verifier.verify(newKid))).sub).toBe('new');
  });

  it('a provider unreachable at first: refused in time, then discovered once it answers', async () => {
    await provider.stopAnswering();
    const verifier = new IdentityVerifier(
      { issuer: provider.issuer },
      { ...LOOPBACK, fetchTimeoutMs: 1000, refetchCooldownMs: 100 },
    );
    const token = await provider.mintToken({ sub: 'patient' });
    const started = Date.now();
    expect(await refusal(verifier.verify(token))).toBe(
      "This site's identity provider could not be reached to check the bearer token: try again shortly",
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    await provider.resumeAnswering();
    expect((await eventually(() => verifier.verify(token))).sub).toBe('patient');
  });

  it('refuses plain http to a provider that is not on this machine, or when not allowed', async () => {
    const token = await provider.mintToken({ sub: 'a' });
    expect(await refusal(new IdentityVerifier({ issuer: provider.issuer }).verify(token))).toMatch(
      /^This site's sign-in is misconfigured \(the identity provider's URL must be an https URL\)/,
    );
    expect(
      await refusal(new IdentityVerifier({ jwksUrl: 'http://keys.example/jwks' }, LOOPBACK).verify(token)),
    ).toMatch(/must be an https URL/);
  });
});

describe('a site with its own keys', () => {
  const sign = (key: jose.CryptoKey | Uint8Array | import('node:crypto').KeyObject, alg: string, claims: object = {}) =>
    new jose.SignJWT({ sub: 'pat', ...claims }).setProtectedHeader({ alg }).setExpirationTime('1h').sign(key);

  it('HS256 with two secrets during a rotation: both verify, no other does, nor an asymmetric token', async () => {
    const [oldSecret, newSecret] = ['o'.repeat(32), 'n'.repeat(32)].map((s) => new TextEncoder().encode(s));
    const verifier = new IdentityVerifier({ secrets: ['o'.repeat(32), 'n'.repeat(32)] });
    expect((await verifier.verify(await sign(oldSecret, 'HS256'))).sub).toBe('pat');
    expect((await verifier.verify(await sign(newSecret, 'HS256'))).sub).toBe('pat');
    expect(await refusal(verifier.verify(await sign(new TextEncoder().encode('x'.repeat(32)), 'HS256')))).toBe(
      'The bearer token is not valid',
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await refusal(verifier.verify(await sign(privateKey, 'RS256')))).toBe('The bearer token is not valid');
    expect(await refusal(verifier.verify(await sign(oldSecret, 'HS512')))).toBe('The bearer token is not valid');
  });

  it('PEM keys: RSA as SPKI or PKCS#1, EC P-256, Ed25519, several at once; HS256 with their text is refused', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const spki = (key: import('node:crypto').KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
    const publicKeys = [
      rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      spki(ec.publicKey),
      spki(ed.publicKey),
    ];
    const identity: SiteIdentity = { publicKeys, secrets: ['s'.repeat(32)] };
    const verifier = new IdentityVerifier(identity);
    for (const [key, alg] of [
      [rsa.privateKey, 'RS256'],
      [rsa.privateKey, 'PS256'],
      [ec.privateKey, 'ES256'],
      [ed.privateKey, 'EdDSA'],
    ] as const) {
      expect((await verifier.verify(await sign(key, alg, { alg }))).sub).toBe('pat');
    }
    for (const pem of [...publicKeys, spki(rsa.publicKey)]) {
      expect(await refusal(verifier.verify(await sign(new TextEncoder().encode(pem), 'HS256')))).toBe(
        'The bearer token is not valid',
      );
    }
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(await refusal(verifier.verify(await sign(stranger.privateKey, 'ES256')))).toBe(
      'The bearer token is not valid',
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(await refusal(verifier.verify(await sign(p384.privateKey, 'ES384')))).toBe(
      'The bearer token is signed with a key this site does not know',
    );
  });
});
