import { answersChecked, takeMismatches } from './support/contract-recorder';
import { Api, expectProblem, expectStatus, unique } from './support/comments-helpers';
import { Answer, OpenApiContract } from './support/openapi-contract';
import { createTestApp, TestApp } from './support/test-app';

const answer = (overrides: Partial<Answer> & { json?: unknown }): Answer => {
  const { json, ...rest } = overrides;
  return {
    method: 'GET',
    url: '/',
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: Buffer.from(json === undefined ? '' : JSON.stringify(json)),
    complete: true,
    ...rest,
  };
};

const problem = (status: number, code: string) => ({ type: 'urn:x', title: 'A title', status, code, detail: 'why' });

/**
 * docs/openapi.json against what the service answers. Every suite's traffic is checked at the
 * socket (test/support/contract-recorder.ts, failing the test that saw a mismatch); this file
 * proves that the check can fail, and walks the answers that clients typed from the document
 * trip on: the conflicts, a deleted author, the automatic rules' log entries, a revalidated page.
 */
describe('the service answers what docs/openapi.json says (e2e)', () => {
  describe('the check', () => {
    const contract = new OpenApiContract();
    const article = '/api/articles/9b2f3f5e-8c1a-4c1e-9a53-1f2a3b4c5d6e';

    it('refuses a status that the operation does not document', () => {
      const found = contract.check(
        answer({ method: 'DELETE', url: '/api/me', status: 418, contentType: 'application/problem+json' }),
      );
      expect(found).toEqual([expect.stringContaining('status 418 is not documented')]);
    });

    it('refuses a problem+json body that is not a problem, and a content type the status does not list', () => {
      const bad = { type: 'urn:x', title: 'Gone', status: 404, code: 'GONE' };
      expect(
        contract.check(answer({ url: article, status: 404, contentType: 'application/problem+json', json: bad })),
      ).toEqual([expect.stringMatching(/^body\/code must be equal to one of the allowed values/)]);
      expect(contract.check(answer({ url: article, status: 404, json: problem(404, 'NOT_FOUND') }))).toEqual([
        expect.stringContaining('content type "application/json", documented: application/problem+json'),
      ]);
      expect(
        contract.check(
          answer({
            url: article,
            status: 404,
            contentType: 'application/problem+json',
            json: problem(404, 'NOT_FOUND'),
          }),
        ),
      ).toEqual([]);
    });

    it('refuses a body that breaks its schema: a missing field, a null where the document has no null', () => {
      const found = contract.check(answer({ url: `${article}/comments`, json: { items: [], nextCursor: null } }));
      expect(found).toEqual([expect.stringContaining("must have required property 'article'")]);
      const view = {
        id: '9b2f3f5e-8c1a-4c1e-9a53-1f2a3b4c5d6e',
        url: null,
        title: 'T',
        externalId: null,
      };
      expect(contract.check(answer({ url: article, json: view }))!.join('\n')).toMatch(/^body\/url must be string/m);
    });

    it('leaves alone what no operation answers (the front ends, the docs)', () => {
      expect(contract.check(answer({ url: '/api/docs-json', json: {} }))).toBeUndefined();
      expect(contract.check(answer({ method: 'PUT', url: '/api/health', status: 404 }))).toBeUndefined();
    });
  });

  describe('answers that clients trip on', () => {
    let t: TestApp;
    let api: Api;
    let mod: string;
    const reader = (id: string) => t.token(unique(id), 'commenter');

    beforeAll(async () => {
      t = await createTestApp();
      api = new Api(t);
      mod = t.token('contract-mod', 'moderator');
    });
    afterAll(() => t.close());

    /** Runs `work` and fails with what the document does not say about its answers (and insists they were checked). */
    async function expectDocumented(work: () => Promise<void>) {
      takeMismatches();
      const before = answersChecked();
      await work();
      expect(takeMismatches()).toEqual([]);
      expect(answersChecked()).toBeGreaterThan(before);
    }

    it('409 on creating an article at a url that exists', async () => {
      await expectDocumented(async () => {
        const url = `https://news.example/${unique('contract')}`;
        expectStatus(await t.http().post('/api/articles').auth(mod, { type: 'bearer' }).send({ url, title: 'A' }), 201);
        const again = await t.http().post('/api/articles').auth(mod, { type: 'bearer' }).send({ url, title: 'B' });
        expectProblem(again, 409, 'CONFLICT');
      });
    });

    it('409 on posting to a closed article, and on posting the same comment twice', async () => {
      await expectDocumented(async () => {
        const me = reader('contract-poster');
        const open = await api.createArticle(mod);
        await api.comment(me, open.id, 'Said once');
        expectProblem(await api.post(me, open.id, { body: 'Said once' }), 409, 'CONFLICT');
        const closed = await api.createArticle(mod);
        expectStatus(await api.closeArticle(mod, closed.id), 200);
        expectProblem(await api.post(me, closed.id, { body: 'Too late' }), 409, 'ARTICLE_CLOSED');
      });
    });

    it('409 on editing a rejected comment, and on reporting a comment twice', async () => {
      await expectDocumented(async () => {
        const me = reader('contract-editor');
        const other = reader('contract-reporter');
        const article = await api.createArticle(mod);
        const comment = await api.comment(me, article.id, 'To be rejected');
        expectStatus(await api.report(other, comment.id), 201);
        expectProblem(await api.report(other, comment.id), 409, 'CONFLICT');
        expectStatus(await api.reject(mod, comment.id), 200);
        expectProblem(await api.edit(me, comment.id, 'Edited'), 409, 'CONFLICT');
      });
    });

    it('a thread whose deleted comment keeps its replies: author null, and 304 on revalidating it', async () => {
      await expectDocumented(async () => {
        const me = reader('contract-deleter');
        const article = await api.createArticle(mod);
        const parent = await api.comment(me, article.id, 'Soon deleted');
        await api.comment(reader('contract-replier'), article.id, 'A reply', parent.id);
        expectStatus(await api.remove(me, parent.id), 204);
        const page = await api.thread(article.id);
        expect(expectStatus(page, 200).items[0]).toMatchObject({ id: parent.id, author: null });
        const again = await api.thread(article.id).set('If-None-Match', page.headers.etag);
        expectStatus(again, 304);
        expectStatus(await api.getComment(parent.id), 200);
      });
    });

    it("the automatic rules' decisions in the moderation log: actor null", async () => {
      await expectDocumented(async () => {
        const article = await api.createArticle(mod, { moderationMode: 'pre' });
        const held = expectStatus(await api.post(reader('contract-held'), article.id, { body: 'Held' }), 201);
        const log = expectStatus(await api.log(mod, { commentId: held.id }), 200);
        expect(log.items).toEqual([expect.objectContaining({ action: 'hold', actor: null })]);
      });
    });

    it("a reader's own data: importedFrom null on comments that were not imported", async () => {
      await expectDocumented(async () => {
        const me = reader('contract-data');
        const article = await api.createArticle(mod);
        await api.comment(me, article.id, 'Mine');
        const data = expectStatus(await t.http().get('/api/me/data').auth(me, { type: 'bearer' }), 200);
        expect(data.comments).toEqual([expect.objectContaining({ importedFrom: null })]);
      });
    });
  });
});
