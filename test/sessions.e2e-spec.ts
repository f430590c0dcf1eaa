import * as jose from 'jose';
import { Sessions } from '../src/sign-in/sessions.service';
import { SitesDirectory } from '../src/sites/sites.directory';
import { createTestApp, TestApp } from './support/test-app';

/** Comment Desk's own sessions: what a sign-in with a site's OpenID provider ends in. */
describe('sessions', () => {
  let t: TestApp;
  let sessions: Sessions;
  const header = 'Comment-Desk-Site';

  beforeAll(async () => {
    t = await createTestApp();
    await t.db.query(`INSERT INTO sites (key, name) VALUES ('evening', 'The Evening Post')`);
    await t.db.query(
      `INSERT INTO moderation_settings (id, rate_limits) SELECT s.id, d.rate_limits FROM sites s, moderation_settings d
       WHERE s.key = 'evening' AND d.id = 1`,
    );
    sessions = t.app.get(Sessions);
  });
  afterAll(() => t?.close());

  const site = (key: string) => t.app.get(SitesDirectory).byKey(key);
  const me = (token: string, key = 'evening') =>
    t.http().get('/api/me').set(header, key).auth(token, { type: 'bearer' });

  it("gives an access token that the session's site accepts, as its own user", async () => {
    const { accessToken, refreshToken, expiresIn } = await sessions.start(await site('evening'), {
      id: 'evening:ada',
      name: 'Ada',
      role: 'commenter',
    });
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresIn).toBe(600);
    const res = await me(accessToken).expect(200);
    expect(res.body).toMatchObject({ id: 'evening:ada', name: 'Ada' });
    const { rows } = await t.db.query(`SELECT u.site_id FROM users u WHERE u.id = 'evening:ada'`);
    expect(rows).toEqual([{ site_id: 2 }]);
  });

  it('refuses the token on another site, and a token signed with another key', async () => {
    const { accessToken } = await sessions.start(await site('evening'), {
      id: 'evening:bo',
      name: 'Bo',
      role: 'moderator',
    });
    const other = await me(accessToken, 'default').expect(401);
    expect(other.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: "The bearer token is another site's" });
    const claims = jose.decodeJwt(accessToken);
    const forged = await new jose.SignJWT({ ...claims, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await me(forged).expect(401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, role: 'admin' }),
    ).toString('base64url')}.`;
    await me(none).expect(401);
  });

  it('replaces the refresh token on every use; the spent one, shown again later, ends the session', async () => {
    const first = await sessions.start(await site('evening'), { id: 'evening:cy', name: 'Cy', role: 'commenter' });
    const second = await t.http().post('/api/sessions/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    expect(second.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    await me(second.body.accessToken).expect(200);

    // Another tab with the same token a moment later: an access token, and "keep yours".
    const sameMoment = await t
      .http()
      .post('/api/sessions/refresh')
      .send({ refreshToken: first.refreshToken })
      .expect(200);
    expect(sameMoment.body.refreshToken).toBeNull();

    // Later than the grace, the spent token is a copy: the session ends, for the holder of the new one too.
    await t.db.query(`UPDATE sessions SET refreshed_at = now() - interval '1 minute' WHERE user_id = 'evening:cy'`);
    const replay = await t.http().post('/api/sessions/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(replay.body.code).toBe('UNAUTHENTICATED');
    await t.http().post('/api/sessions/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
  });

  it('signs out: the refresh token no longer works', async () => {
    const { refreshToken } = await sessions.start(await site('evening'), {
      id: 'evening:di',
      name: null,
      role: 'commenter',
    });
    await t.http().post('/api/sessions/sign-out').send({ refreshToken }).expect(204);
    await t.http().post('/api/sessions/refresh').send({ refreshToken }).expect(401);
    // Signing out twice, or with a token never issued, tells nothing.
    await t.http().post('/api/sessions/sign-out').send({ refreshToken }).expect(204);
    await t
      .http()
      .post('/api/sessions/sign-out')
      .send({ refreshToken: 'A'.repeat(43) })
      .expect(204);
  });

  it('refuses a malformed refresh token with a validation problem', async () => {
    const res = await t.http().post('/api/sessions/refresh').send({ refreshToken: 'short' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('ends expired sessions', async () => {
    const { refreshToken } = await sessions.start(await site('evening'), {
      id: 'evening:ed',
      name: null,
      role: 'commenter',
    });
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = 'evening:ed'`);
    await t.http().post('/api/sessions/refresh').send({ refreshToken }).expect(401);
  });
});
