import { createHash, randomBytes } from 'node:crypto';
import { SitesDirectory } from '../src/sites/sites.directory';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';
import { createTestApp, TestApp } from './support/test-app';

/**
 * A second site's pages sign their readers in, on an installation whose first site has origins of
 * its own (CORS_ORIGINS): the calls name the site (Comment-Desk-Site), whose origins then decide.
 */
describe("signing in from a site's own pages, beside a first site with other origins", () => {
  let t: TestApp;
  let provider: OidcProvider;
  const evening = 'http://evening.test';

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'http://morning.test' });
    await t.app.listen(0, '127.0.0.1');
    const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    provider = await startOidcProvider({ redirectUris: [`${base}/api/sites/evening/sign-in/callback`] });
    await t.db.query(
      `INSERT INTO sites (key, name, origins, identity) VALUES ('evening', 'The Evening Post', $1, $2)`,
      [
        [evening],
        { issuer: provider.issuer, signIn: { clientId: provider.clientId, clientSecret: provider.clientSecret } },
      ],
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
  const begin = (page: string, hash: string, site?: string) => {
    const request = t
      .http()
      .get(`/api/sites/evening/sign-in?origin=${encodeURIComponent(page)}&pickup=${hash}`)
      .set('Accept', 'application/json')
      .set('Origin', page);
    return site ? request.set('Comment-Desk-Site', site) : request;
  };

  it('begins, collects and renews for the pages of the site the calls name', async () => {
    const { secret, hash } = pickupPair();
    const started = await begin(evening, hash, 'evening');
    expect(started.status).toBe(200);
    expect(new URL(started.body.url).origin).toBe(new URL(provider.issuer).origin);
    const pickup = await t
      .http()
      .post('/api/sites/evening/sign-in/pickup')
      .set('Origin', evening)
      .set('Comment-Desk-Site', 'evening')
      .send({ pickup: secret });
    expect(pickup.status).toBe(202);
    // No such session: the service says so (401), rather than refusing the page (403).
    const refresh = await t
      .http()
      .post('/api/sessions/refresh')
      .set('Origin', evening)
      .set('Comment-Desk-Site', 'evening')
      .send({ refreshToken: randomBytes(32).toString('base64url') });
    expect([refresh.status, refresh.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it("refuses another site's pages, whatever site the request names: the sign-in's site (its path's) decides", async () => {
    const elsewhere = await begin('http://elsewhere.test', pickupPair().hash, 'evening');
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    const morning = await begin('http://morning.test', pickupPair().hash, 'evening');
    expect([morning.status, morning.body.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    // A page of the Evening Post's that names no site (an older embed) still signs in with it.
    const unnamed = await begin(evening, pickupPair().hash);
    expect(unnamed.status).toBe(200);
    // The first site's page passes the first site's origins, not the Evening Post's.
    const first = await begin('http://morning.test', pickupPair().hash);
    expect([first.status, first.body.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
  });
});
