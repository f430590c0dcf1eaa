import { createHash, randomBytes } from 'node:crypto';
import { matchCode } from '../src/sign-in/match-code';
import { SitesDirectory } from '../src/sites/sites.directory';
import { SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Readers of a site without a login of its own sign in by a link emailed to them: sent over SMTP to
 * a real server the test runs, opened and confirmed, and the tokens collected by the page that asked.
 */
describe('signing in by an emailed link', () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let base: string;
  const page = 'http://evening.test';

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      DELIVERIES: 'on',
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      RATE_LIMITS: 'on',
    });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    for (const [key, name, identity] of [
      ['evening', 'The Evening Post', { emailLinks: true }],
      ['morning', 'The Morning Star', { secrets: [randomBytes(32).toString('hex')] }],
    ] as const) {
      await t.db.query(`INSERT INTO sites (key, name, origins, identity) VALUES ($1, $2, $3, $4)`, [
        key,
        name,
        [page],
        identity,
      ]);
      await t.db.query(
        `INSERT INTO moderation_settings (id, rate_limits) SELECT s.id, d.rate_limits FROM sites s, moderation_settings d
         WHERE s.key = $1 AND d.id = 1`,
        [key],
      );
    }
    t.app.get(SitesDirectory).forget();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });
  beforeEach(() => t.db.query(`DELETE FROM rate_limit_buckets WHERE key LIKE 'emailSignIn:%'`));

  const pickupPair = () => {
    const secret = randomBytes(32).toString('base64url');
    return { secret, hash: createHash('sha256').update(secret).digest('base64url') };
  };
  const ask = (body: Record<string, unknown>, site = 'evening') =>
    t
      .http()
      .post(`/api/sites/${site}/email-sign-in`)
      .send({ name: 'Ada Lovelace', origin: page, pickup: pickupPair().hash, ...body });
  const pickup = (secret: string) => t.http().post('/api/sites/evening/sign-in/pickup').send({ pickup: secret });
  const linkIn = (text: string) => {
    const link = /(http:\/\/\S+\/email-sign-in\/link\?token=[A-Za-z0-9_-]{43})/.exec(text)?.[1];
    if (!link) throw new Error(`no link in ${text}`);
    return new URL(link);
  };
  const confirm = (link: URL, accept = 'text/html') =>
    fetch(new URL(link.pathname, link), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
      body: new URLSearchParams({ token: link.searchParams.get('token')! }),
    });
  /** Asks for a link to `address`, and opens it; the tokens its page collects. */
  const signIn = async (address: string, name = 'Ada Lovelace') => {
    const { secret, hash } = pickupPair();
    const before = smtp.countTo(address);
    expect((await ask({ address, name, pickup: hash })).status).toBe(202);
    const link = linkIn((await smtp.next(address, before)).text!);
    expect((await confirm(link)).status).toBe(200);
    const tokens = await pickup(secret);
    expect(tokens.status).toBe(200);
    return tokens.body as { accessToken: string; refreshToken: string };
  };
  const me = (accessToken: string) =>
    t.http().get('/api/me').set('Comment-Desk-Site', 'evening').auth(accessToken, { type: 'bearer' });

  it('emails a single-use link whose page signs the reader in, for the page that asked to collect', async () => {
    const { secret, hash } = pickupPair();
    const asked = await ask({ address: 'ada@example.com', name: 'Ada <b>Lovelace</b>', pickup: hash, lang: 'fr-CA' });
    expect([asked.status, asked.body]).toEqual([202, { status: 'sent', expiresInMinutes: 15 }]);
    expect((await pickup(secret)).status).toBe(202);

    const mail = await smtp.next('ada@example.com');
    expect(mail.subject).toBe('Connectez-vous pour commenter sur The Evening Post');
    expect(mail.messageId).toMatch(/@comment-desk>?$/);
    expect(mail.text).toContain('Bonjour Ada <b>Lovelace</b>,');
    expect(mail.html).toContain('Bonjour Ada &lt;b&gt;Lovelace&lt;/b&gt;,');
    expect(mail.html).not.toContain('<b>Lovelace');
    const link = linkIn(mail.text!);
    expect(link.origin).toBe(base);

    // Opening the link (as a mail scanner would) signs no one in: the page asks to confirm.
    const opened = await fetch(link, { headers: { accept: 'text/html' } });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-security-policy')).toContain("default-src 'none'");
    const form = await opened.text();
    expect(form).toContain('<html lang="fr"');
    expect(form).toContain(
      'Se connecter à The Evening Post (http://evening.test) en tant que Ada &lt;b&gt;Lovelace&lt;/b&gt; ?',
    );
    expect(form).toContain('method="post"');
    // The code that the page which asked shows (the embed derives it alike), to tell a link asked by someone else.
    expect(form).toContain(`affiche le code ${matchCode(hash)}.`);
    expect((await pickup(secret)).status).toBe(202);

    const done = await confirm(link);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Vous êtes connecté');
    const collected = await pickup(secret);
    expect(collected.status).toBe(200);
    expect(collected.body).toMatchObject({ expiresIn: 600, refreshToken: expect.any(String) });
    expect((await pickup(secret)).status).toBe(404);

    const first = await me(collected.body.accessToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: 'Ada <b>Lovelace</b>' });
    expect(first.body.id).toMatch(/^evening:email:[A-Za-z0-9_-]{43}$/);
    // The address is not kept anywhere: only its keyed hash is the reader's id.
    const kept = await t.db.query(`SELECT count(*)::int AS n FROM email_sign_ins WHERE user_id LIKE '%ada@%'`);
    expect(kept.rows[0].n).toBe(0);

    // A second use of the link is refused, to a browser with a page, to other clients with a problem.
    const again = await confirm(link);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Ce lien a déjà servi.');
    const problem = await confirm(link, 'application/json');
    expect(problem.status).toBe(409);
    expect((await problem.json()).code).toBe('CONFLICT');
    expect((await fetch(link, { headers: { accept: 'text/html' } })).status).toBe(409);

    // The same address, however written, is the same reader; the name is what they gave last.
    const later = await signIn('ADA@Example.com', 'Ada L.');
    expect((await me(later.accessToken)).body).toMatchObject({ id: first.body.id, name: 'Ada L.' });
    const refreshed = await t.http().post('/api/sessions/refresh').send({ refreshToken: later.refreshToken });
    expect(refreshed.status).toBe(200);
  });

  it('refuses an expired link', async () => {
    const { secret, hash } = pickupPair();
    expect((await ask({ address: 'late@example.com', pickup: hash })).status).toBe(202);
    const link = linkIn((await smtp.next('late@example.com')).text!);
    await t.db.query(
      `UPDATE email_sign_ins SET created_at = now() - interval '16 minutes', expires_at = now() - interval '1 minute'
       WHERE pickup_hash = $1`,
      [createHash('sha256').update(secret).digest()],
    );
    const page = await confirm(link);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('This link has expired.');
    const problem = await confirm(link, 'application/json');
    expect((await problem.json()).code).toBe('NOT_FOUND');
    expect((await pickup(secret)).status).toBe(202);
  });

  it('answers a known address and an unknown one alike, and sends each a link', async () => {
    await signIn('known@example.com');
    const known = await ask({ address: 'known@example.com' });
    const unknown = await ask({ address: 'nobody-yet@example.com' });
    expect([known.status, known.body]).toEqual([unknown.status, unknown.body]);
    expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    await smtp.next('known@example.com', 1);
    await smtp.next('nobody-yet@example.com');
  });

  it('limits the links per address, whichever client asks', async () => {
    for (let i = 0; i < 3; i++) expect((await ask({ address: 'flood@example.com' })).status).toBe(202);
    const refused = await ask({ address: 'Flood@example.com' });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ask({ address: 'someone-else@example.com' })).status).toBe(202);
  });

  it('limits the links asked for by one client', async () => {
    for (let i = 0; i < 10; i++) expect((await ask({ address: `reader${i}@example.com` })).status).toBe(202);
    const refused = await ask({ address: 'reader10@example.com' });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toContain('from this client');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('is not offered by a site that has not turned it on, and refuses bad input and other origins', async () => {
    const none = await ask({ address: 'ada@example.com' }, 'morning');
    expect([none.status, none.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await ask({ address: 'ada@example.com' }, 'nowhere')).status).toBe(404);
    const bad = await ask({ address: 'not an address', pickup: 'short' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['address', 'pickup']);
    const elsewhere = await ask({ address: 'ada@example.com', origin: 'http://elsewhere.test' });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    // A page naming an origin not its own.
    const posing = await t
      .http()
      .post('/api/sites/evening/email-sign-in')
      .set('Origin', 'http://evil.test')
      .send({ address: 'ada@example.com', name: 'Ada', origin: page, pickup: pickupPair().hash });
    expect([posing.status, posing.body.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    const unknown = await fetch(`${base}/api/sites/evening/email-sign-in/link?token=${'x'.repeat(43)}`, {
      headers: { accept: 'text/html' },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This link is not valid.');
  });
});
