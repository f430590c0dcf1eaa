import { AddressInfo } from 'node:net';
import { demoArticleMover, ensureDemoArticles } from '../src/web/demo-articles';
import { Api, expectStatus } from './support/comments-helpers';
import { createTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

/**
 * `npm start`'s demo threads live at the demo pages' own addresses, so that the console's links to
 * them and to their comments open there; an install that made them at their former URLs keeps its
 * threads, moved to the pages.
 */
describe('the demo threads', () => {
  let t: TestApp;
  let api: Api;
  let base: string;
  let origin: string;
  let mod: string;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'off' });
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer() as { address(): AddressInfo }).address().port;
    base = `http://127.0.0.1:${port}`;
    origin = `http://localhost:${port}`;
    api = new Api(t);
    mod = t.token('demo-check', 'moderator');
  });
  afterAll(() => t.close());

  const ensure = () =>
    ensureDemoArticles(base, TEST_JWT_SECRET, true, { origin, moveArticle: demoArticleMover(t.app) });
  const articleAt = async (url: string) =>
    expectStatus(await t.http().get('/api/articles').query({ url }).set('Authorization', `Bearer ${mod}`), 200)
      .items[0];

  it('moves a thread made at its former URL to its page, comments and all, and makes the missing one there', async () => {
    const former = await api.createArticle(mod, {
      url: 'https://news.example/demo/budget',
      title: 'The budget, explained',
    });
    const kept = await api.comment(t.token('early-reader'), former.id, 'Written before the move.');

    await ensure();

    const open = await articleAt(`${origin}/demo/`);
    expect(open.id).toBe(former.id);
    expect(open.url).toMatch(new RegExp(`^${origin}/demo/?$`));
    expect(await articleAt('https://news.example/demo/budget')).toBeUndefined();
    const thread = expectStatus(await api.thread(former.id), 200);
    expect(thread.items.map((c: { id: string }) => c.id)).toEqual([kept.id]); // nothing posted again

    const closed = await articleAt(`${origin}/demo/closed.html`);
    expect(closed).toMatchObject({ url: `${origin}/demo/closed.html`, closed: true });
    expect(expectStatus(await api.thread(closed.id), 200).items.length).toBeGreaterThan(0);

    // Once there, a second start changes nothing.
    await ensure();
    expect((await articleAt(`${origin}/demo/`)).id).toBe(former.id);
    expect((await articleAt(`${origin}/demo/closed.html`)).id).toBe(closed.id);
  }, 60_000);
});
