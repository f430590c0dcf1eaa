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
  /** A page of the first site's, in the test that gives the first site origins of its own. */
  const firstSitePage = 'http://daily.test';

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

  it("judges the pages that sign in and renew by the site's origins, not the first site's", async () => {
    // The first site lists a page origin of its own here (as CORS_ORIGINS would), another than the site's.
    const firstSiteOrigins = async (origins: string[]) => {
      await t.db.query(`UPDATE sites SET origins = $1, version = version + 1 WHERE id = 1`, [origins]);
      t.app.get(SitesDirectory).forget();
    };
    await firstSiteOrigins([firstSitePage]);
    try {
      await signInAndRenewFromPages();
    } finally {
      await firstSiteOrigins([]);
    }
  });

  /** Signs in and renews from the site's page; each step from the first site's page is refused. */
  async function signInAndRenewFromPages(): Promise<void> {
    const { secret, hash } = pickupPair();
    const at = `${base}/api/sites/evening/sign-in`;
    const fromPage = (origin: string, url: string, body?: object) =>
      fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { Origin: origin, Accept: 'application/json', 'content-type': 'application/json' },
        body: body && JSON.stringify(body),
      });
    const beginFrom = (origin: string, told = origin) =>
      fromPage(origin, `${at}?origin=${encodeURIComponent(told)}&pickup=${hash}`);
    const refused = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];
    expect(await refused(await beginFrom(firstSitePage))).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    expect(await refused(await beginFrom(page, firstSitePage))).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    const begun = await beginFrom(page);
    expect(begun.status).toBe(200);
    const { url } = (await begun.json()) as { url: string };
    const callback = await loginAtProvider(new URL(url), 'ada', `${at}/callback`);
    expect((await fetch(callback)).status).toBe(200);
    expect(await refused(await fromPage(firstSitePage, `${at}/pickup`, { pickup: secret }))).toEqual([
      403,
      'ORIGIN_NOT_ALLOWED',
    ]);
    const collected = await fromPage(page, `${at}/pickup`, { pickup: secret });
    expect(collected.status).toBe(200);
    const { refreshToken } = (await collected.json()) as { refreshToken: string };

    const renew = (origin: string, path = 'refresh') =>
      fromPage(origin, `${base}/api/sessions/${path}`, { refreshToken });
    expect(await refused(await renew(firstSitePage))).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    expect(await refused(await renew(firstSitePage, 'sign-out'))).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    // The refused renewal spent nothing: the site's own page renews with the same token, then signs out.
    expect((await renew(page)).status).toBe(200);
    expect((await renew(page, 'sign-out')).status).toBe(204);
  }

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

  it('lists the sites with a provider to sign in with, publicly, by key and name only', async () => {
    // A site whose tokens a provider signs, but with no client to sign in with, is not one.
    await t.db.query(
      `INSERT INTO sites (key, name, identity) VALUES ('morning', 'The Morning Star', $1) ON CONFLICT DO NOTHING`,
      [{ issuer: provider.issuer }],
    );
    t.app.get(SitesDirectory).forget();
    const res = await t.http().get('/api/sign-in/sites');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [{ key: 'evening', name: 'The Evening Post' }] });
    // A bad token is refused here as everywhere (a signed-out console sends none).
    const stale = await t.http().get('/api/sign-in/sites').auth('not-a-token', { type: 'bearer' });
    expect([stale.status, stale.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it("begins a sign-in for a page of the site's origins or of the service itself (the console), no other", async () => {
    const started = (origin: string) =>
      fetch(`${base}/api/sites/evening/sign-in?origin=${encodeURIComponent(origin)}&pickup=${pickupPair().hash}`, {
        redirect: 'manual',
      });
    expect((await started(page)).status).toBe(302);
    expect((await started(base)).status).toBe(302);
    const other = await started('http://elsewhere.test');
    expect(other.status).toBe(403);
    expect((await other.json()).code).toBe('ORIGIN_NOT_ALLOWED');
    // Written as browsers never send it, it is still the site's origin; it is kept as they send it.
    const { hash } = pickupPair();
    const loud = await fetch(
      `${base}/api/sites/evening/sign-in?origin=${encodeURIComponent('http://Evening.TEST:80')}&pickup=${hash}`,
      { redirect: 'manual' },
    );
    expect(loud.status).toBe(302);
    const { rows } = await t.db.query(`SELECT return_origin FROM sign_in_attempts WHERE pickup_hash = $1`, [
      Buffer.from(hash, 'base64url'),
    ]);
    expect(rows).toEqual([{ return_origin: page }]);
    // The service's own origin is its own host's alone: another port is another origin.
    const port = Number(new URL(base).port);
    const beside = await started(`http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`);
    expect(beside.status).toBe(403);
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
