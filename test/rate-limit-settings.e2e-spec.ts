import { DataSource } from 'typeorm';
import { RateLimitsWhole1796170000120 } from '../migrations/1796170000120-RateLimitsWhole';
import { dataSourceOptions } from '../src/database/data-source';
import {
  call,
  createArticle,
  expectProblem,
  expectStatus,
  postComment,
  report,
  uid,
} from './support/moderation-helpers';
import { createTestApp, createTestDatabase, TestApp } from './support/test-app';

/** The rate limits setting: a change is merged with what is stored, and what is stored is always whole. */

const DEFAULT_LIMITS = {
  post: { limit: 3, perSeconds: 9 },
  edit: { limit: 5, perSeconds: 60 },
  report: { limit: 10, perSeconds: 60 },
  address: { limit: 600, perSeconds: 60 },
  createArticle: { limit: 10, perSeconds: 600 },
};

describe('rate limit settings', () => {
  let t: TestApp;
  let admin: string;
  let mod: string;
  const putLimits = (rateLimits: unknown) => call(t, 'put', '/api/moderation/settings', admin, { rateLimits });
  const storedLimits = async () => expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200).rateLimits;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.token('admin-limits', 'admin');
    mod = t.token('mod-limits', 'moderator');
  });
  afterEach(async () => {
    expectStatus(await putLimits(DEFAULT_LIMITS), 200);
  });
  afterAll(() => t.close());

  it('merges a change of some limits, or of one field of a limit, with the limits stored', async () => {
    const some = { post: { limit: 4, perSeconds: 8 }, address: { limit: 500, perSeconds: 30 } };
    expect(expectStatus(await putLimits(some), 200).rateLimits).toEqual({ ...DEFAULT_LIMITS, ...some });
    expect(expectStatus(await putLimits({ edit: { limit: 7 } }), 200).rateLimits).toEqual({
      ...DEFAULT_LIMITS,
      ...some,
      edit: { limit: 7, perSeconds: 60 },
    });
    expect(await storedLimits()).toEqual({ ...DEFAULT_LIMITS, ...some, edit: { limit: 7, perSeconds: 60 } });
  });

  it.each([
    ['null', null, 'rateLimits'],
    ['a number', 5, 'rateLimits'],
    ['a limit that is null', { edit: null }, 'rateLimits.edit'],
    ['a limit that is a number', { report: 3 }, 'rateLimits.report'],
    ['a limit of 0', { edit: { limit: 0 } }, 'rateLimits.edit.limit'],
    ['a perSeconds that is text', { post: { perSeconds: '9' } }, 'rateLimits.post.perSeconds'],
    ['a perSeconds of null', { post: { perSeconds: null } }, 'rateLimits.post.perSeconds'],
    ['an unknown limit', { comment: { limit: 1, perSeconds: 1 } }, 'rateLimits.comment'],
  ])('refuses %s with 400 naming the field, and keeps what is stored', async (_, rateLimits, field) => {
    const problem = expectProblem(await putLimits(rateLimits), 400, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(problem.detail).toContain(field);
    expect(await storedLimits()).toEqual(DEFAULT_LIMITS);
  });

  it('goes on editing and reporting, rate limited, after a change of some limits', async () => {
    expectStatus(await putLimits({ post: { limit: 4, perSeconds: 9 }, address: { limit: 600, perSeconds: 60 } }), 200);
    const limited = await createTestApp({ RATE_LIMITS: 'on' }, t.databaseUrl);
    try {
      const article = await createArticle(t, mod);
      const author = t.token(uid('author'));
      const comment = await postComment(limited, author, article.id, 'to be edited');
      expectStatus(await call(limited, 'patch', `/api/comments/${comment.id}`, author, { body: 'edited' }), 200);
      expectStatus(await report(limited, t.token(uid('reader')), comment.id, 'spam'), 201);
    } finally {
      await limited.close();
    }
  });

  it('is kept whole by the database', async () => {
    for (const broken of [
      `rate_limits - 'edit'`,
      `jsonb_set(rate_limits, '{post}', '{"limit": 3}')`,
      `jsonb_set(rate_limits, '{report,limit}', '0')`,
      `jsonb_set(rate_limits, '{address,perSeconds}', '"60"')`,
      `jsonb_set(rate_limits, '{createArticle,limit}', '1.5')`,
      `'[]'::jsonb`,
    ]) {
      await expect(t.db.query(`UPDATE moderation_settings SET rate_limits = ${broken}`)).rejects.toThrow(
        /CHK_moderation_settings_rate_limits/,
      );
    }
    expect(await storedLimits()).toEqual(DEFAULT_LIMITS);
  });

  it('is made whole by the migration where an earlier release stored only part of it', async () => {
    const dataSource = new DataSource(dataSourceOptions(await createTestDatabase()));
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      const migration = new RateLimitsWhole1796170000120();
      await migration.down(runner);
      await runner.query(
        `UPDATE moderation_settings SET rate_limits = '{"post": {"limit": 4, "perSeconds": 8}, "edit": {"limit": 0}, "report": 3, "address": {"limit": 500, "perSeconds": 30}}'`,
      );
      await migration.up(runner);
      const [{ rate_limits }] = await runner.query('SELECT rate_limits FROM moderation_settings');
      expect(rate_limits).toEqual({
        ...DEFAULT_LIMITS,
        post: { limit: 4, perSeconds: 8 },
        address: { limit: 500, perSeconds: 30 },
      });
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  });
});
