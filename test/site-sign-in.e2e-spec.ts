import { createHash, randomBytes } from 'node:crypto';
import { SitesDirectory } from '../src/sites/sites.directory';
import { loginAtProvider } from './support/oidc-login';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';
import { createTestApp, TestApp } from './support/test-app';

/**
 * A reader signs in with their site's own OpenID provider (a real one, in a child process): the
 * authorization code flow with PKCE through Comment Desk, which then holds the session itself.
 */
describe("signing in with a site's OpenID provider", () => {
  let t: TestApp;
  let provider: OidcProvider;
  let base: string;
  const page = 'http://evening.test';

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    provider = await startOidcProvider({
      redirectUris: [`${base}/api/sites/evening/sign-in/callback`],
      claims: { ada: { name: 'Ada Lovelace', role: 'moderator' } },
    });
    const identity = {
      issuer: provider.issuer,
      signIn: {
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        scopes: ['profile', 'email', 'role'],
      },
      roles: { moderator: ['moderator'] },
    };
    await t.db.query(
      `INSERT INTO sites (key, name, origins, identity) VALUES ('evening', 'The Evening Post', $1, $2)`,
      [[page], identity],
    );
    await t.db.query(
      `INSERT INTO moderation_settings (id, rate_limits) SELECT s.id, d.rate_limits FROM sites s, moderation_settings d
       WHERE s.key = 'evening' AND d.id = 1`,
    );
    t.app.get(SitesDirectory).forget();
  }, 60_000);
  afterAll(async () => {
    await provider?.stop();
    await t?.close();
  });

  const pickupPair = () => {
    const secret = randomBytes(32).toString('base64url');
    return { secret, hash: createHash('sha256').update(secret).digest('base64url') };
  };
  const begin = (hash: string) =>
    fetch(`${base}/api/sites/evening/sign-in?origin=${encodeURIComponent(page)}&pickup=${hash}`, {
      redirect: 'manual',
    });
  const pickup = (secret: string) =>
    fetch(`${base}/api/sites/evening/sign-in/pickup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pickup: secret }),
    });

  it("signs the reader in as the site's user, with its role, and hands the tokens to the page that began it, once", async () => {
    const { secret, hash } = pickupPair();
    const started = await begin(hash);
    expect(started.status).toBe(302);
    const authorization = new URL(started.headers.get('location')!);
    expect(authorization.origin).toBe(new URL(provider.issuer).origin);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');

    // Still at the provider: nothing to collect yet.
    expect((await pickup(secret)).status).toBe(202);

    const callback = await loginAtProvider(authorization, 'ada', `${base}/api/sites/evening/sign-in/callback`);
    const done = await fetch(callback);
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('You are signed in');
    expect(html).toContain(JSON.stringify(page));

    const collected = await pickup(secret);
    expect(collected.status).toBe(200);
    const tokens = await collected.json();
    expect(tokens).toMatchObject({ expiresIn: 600 });
    expect((await pickup(secret)).status).toBe(404);

    const me = await t
      .http()
      .get('/api/me')
      .set('Comment-Desk-Site', 'evening')
      .auth(tokens.accessToken, { type: 'bearer' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'evening:ada', name: 'Ada Lovelace' });
    const stored = await t.db.query(`SELECT role FROM sessions WHERE user_id = 'evening:ada'`);
    expect(stored.rows).toEqual([{ role: 'moderator' }]);
    // The address the provider verified is kept for the reader's email notifications.
    const address = await t.db.query(`SELECT address, verified_by FROM reader_addresses WHERE user_id = 'evening:ada'`);
    expect(address.rows).toEqual([{ address: 'ada@example.test', verified_by: 'claim' }]);

    const refreshed = await t.http().post('/api/sessions/refresh').send({ refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);

    // The provider's answer cannot be replayed.
    const again = await fetch(callback, { headers: { Accept: 'text/html' } });
    expect(again.status).toBe(404);
  });

  it('refuses a forged or unknown state, and a pickup that was never begun', async () => {
    const forged = `${base}/api/sites/evening/sign-in/callback?code=x&state=forged`;
    const res = await fetch(forged, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('The sign-in did not work');
    // A client other than a browser gets the problem.
    const problem = await fetch(forged);
    expect([problem.status, problem.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    expect((await pickup(pickupPair().secret)).status).toBe(404);
  });

  it('answers a site without a provider to sign in with, and bad input, with problems', async () => {
    const { hash } = pickupPair();
    const none = await fetch(`${base}/api/sites/default/sign-in?origin=${encodeURIComponent(page)}&pickup=${hash}`, {
      redirect: 'manual',
    });
    expect(none.status).toBe(404);
    expect((await none.json()).code).toBe('NOT_FOUND');
    const bad = await fetch(`${base}/api/sites/evening/sign-in?origin=nope&pickup=short`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('VALIDATION_FAILED');
  });
});
