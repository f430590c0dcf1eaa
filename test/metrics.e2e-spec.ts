import { DataSource } from 'typeorm';
import {
  call,
  createArticle,
  decide,
  expectProblem,
  expectStatus,
  postComment,
  report,
  uid,
} from './support/moderation-helpers';
import { labelValues, sample } from './support/metrics-text';
import { createTestApp, TestApp } from './support/test-app';

const QUEUES = ['pending', 'unmoderated', 'approved', 'rejected', 'reported'] as const;

describe('metrics', () => {
  let t: TestApp;
  let mod: string;
  beforeAll(async () => {
    t = await createTestApp();
    mod = t.token('metrics-mod', 'moderator');
  });
  afterAll(async () => {
    await t.close();
  });

  const scrape = async () => {
    const res = await t.http().get('/api/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    return res.text;
  };

  describe('gauges read at scrape time', () => {
    it('reports the database pool', async () => {
      const text = await scrape();
      const total = sample(text, 'comment_desk_db_pool_connections')!;
      const idle = sample(text, 'comment_desk_db_pool_idle_connections')!;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(idle).toBeGreaterThanOrEqual(0);
      expect(idle).toBeLessThanOrEqual(total);
      expect(sample(text, 'comment_desk_db_pool_waiting_requests')).toBe(0);
      expect(sample(text, 'comment_desk_db_pool_max_connections')).toBe(Number(process.env.DATABASE_POOL_SIZE ?? 20));
    });

    // First in the file: the database is still empty, so the queues hold only what this test puts there.
    it('reports each moderation queue with the size the queues themselves list', async () => {
      const reader = t.token(uid('reader'));
      const pre = (await createArticle(t, mod, { moderationMode: 'pre' })).id;
      const held = [];
      for (const n of [1, 2, 3, 4]) held.push(await postComment(t, reader, pre, `Held comment number ${n}`));
      expectStatus(await decide(t, mod, held[0].id, 'approve'), 200);
      expectStatus(await decide(t, mod, held[1].id, 'reject'), 200);
      const post = (await createArticle(t, mod)).id;
      const published = [];
      for (const n of [1, 2, 3]) published.push(await postComment(t, reader, post, `Published comment number ${n}`));
      expectStatus(await report(t, t.token(uid('reporter')), published[0].id, 'spam'), 201);

      const text = await scrape();
      const gauge = (queue: string) => sample(text, 'comment_desk_moderation_queue_comments', { queue });
      expect(Object.fromEntries(QUEUES.map((q) => [q, gauge(q)]))).toEqual({
        pending: 2,
        unmoderated: 3,
        approved: 1,
        rejected: 1,
        reported: 1,
      });
      for (const queue of QUEUES) {
        const listed = expectStatus(await call(t, 'get', `/api/moderation/queue/${queue}?limit=100`, mod), 200);
        expect({ queue, size: gauge(queue) }).toEqual({ queue, size: listed.items.length });
      }
    });
    it('still answers when the database does not, without the queue sizes', async () => {
      const dataSource = t.app.get(DataSource);
      const spy = jest.spyOn(dataSource, 'query').mockRejectedValueOnce(new Error('connection refused'));
      try {
        const text = await scrape();
        expect(sample(text, 'comment_desk_moderation_queue_comments', { queue: 'pending' })).toBeUndefined();
        expect(sample(text, 'comment_desk_moderation_queue_collect_failures_total')).toBe(1);
        expect(sample(text, 'comment_desk_db_pool_connections')).toBeGreaterThanOrEqual(1);
      } finally {
        spy.mockRestore();
      }
      expect(sample(await scrape(), 'comment_desk_moderation_queue_comments', { queue: 'pending' })).toBe(2);
    });
  });

  describe('HTTP requests', () => {
    let before: string;
    let text: string;
    let articleId: string;
    /** How much a sample grew between the scrapes before and after the requests below. */
    const grew = (name: string, labels: Record<string, string>) =>
      (sample(text, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    beforeAll(async () => {
      before = await scrape();
      articleId = (await createArticle(t, mod)).id;
      const reader = t.token(uid('reader'));
      await postComment(t, reader, articleId, 'A comment to be counted');
      expectStatus(await t.http().get(`/api/articles/${articleId}/comments`), 200);
      expectStatus(await t.http().get(`/api/articles/${articleId}/comments`), 200);
      expectProblem(await t.http().get('/api/no-such-route/12345'), 404, 'NOT_FOUND');
      expectProblem(await t.http().get(`/api/articles/${articleId}/nothing`), 404, 'NOT_FOUND');
      expectProblem(await t.http().get('/api/articles/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
      expectProblem(
        await t.http().post('/api/articles').set('Content-Type', 'application/json').send('{"url":'),
        400,
        'VALIDATION_FAILED',
      );
      text = await scrape();
    });

    it('counts requests by method, route template and status', () => {
      const count = (method: string, route: string, status_code: string) =>
        grew('http_requests_total', { method, route, status_code });
      expect(count('POST', '/api/articles/:id/comments', '201')).toBe(1);
      expect(count('GET', '/api/articles/:id/comments', '200')).toBe(2);
      expect(count('POST', '/api/articles', '201')).toBe(1);
      expect(count('GET', '/api/articles/:id', '404')).toBe(1);
    });

    it('puts requests that matched no route under one label value', () => {
      expect(grew('http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(2);
    });

    it('counts the requests refused while their bodies were read', () => {
      expect(grew('http_requests_total', { method: 'POST', route: '/api/articles', status_code: '400' })).toBe(1);
    });

    it('never uses a raw path as a label', () => {
      const routes = labelValues(text, 'http_requests_total', 'route');
      for (const route of routes) {
        expect({ route, template: route === 'unmatched' || /^\/api(\/([a-z-]+|:\w+))*$/.test(route) }).toEqual({
          route,
          template: true,
        });
      }
      expect([...routes].join(' ')).not.toContain(articleId);
      expect([...routes].join(' ')).not.toContain('no-such-route');
    });

    it('times requests in a histogram with the same labels', () => {
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      const labels = { method: 'GET', route: '/api/articles/:id/comments', status_code: '200' };
      expect(grew('http_request_duration_seconds_count', labels)).toBe(2);
      expect(grew('http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(2);
      expect(grew('http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    });

    it('counts the scrapes themselves', async () => {
      const later = await scrape();
      expect(
        sample(later, 'http_requests_total', { method: 'GET', route: '/api/metrics', status_code: '200' }),
      ).toBeGreaterThanOrEqual(1);
    });
  });

  it('includes the Node process metrics', async () => {
    const text = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect({ name, present: sample(text, name) !== undefined }).toEqual({ name, present: true });
    }
  });

  it('keeps a registry per application: a second app starts with its own counts', async () => {
    const other = await createTestApp({}, t.databaseUrl);
    try {
      const first = await other.http().get('/api/metrics');
      expect(first.status).toBe(200);
      expect(
        sample(first.text, 'http_requests_total', { method: 'POST', route: '/api/articles', status_code: '201' }),
      ).toBeUndefined();
      expect(
        sample(await scrape(), 'http_requests_total', { method: 'POST', route: '/api/articles', status_code: '201' }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await other.close();
    }
  });

  describe('with METRICS_TOKEN set', () => {
    let guarded: TestApp;
    beforeAll(async () => {
      guarded = await createTestApp({ METRICS_TOKEN: 'x' });
      delete process.env.METRICS_TOKEN;
    });
    afterAll(async () => {
      await guarded.close();
    });

    it('refuses a scrape without the X-Metrics-Token header, or with a wrong one', async () => {
      expectProblem(await guarded.http().get('/api/metrics'), 403, 'FORBIDDEN');
      expectProblem(await guarded.http().get('/api/metrics').set('X-Metrics-Token', 'y'), 403, 'FORBIDDEN');
      expectProblem(await guarded.http().get('/api/metrics').set('X-Metrics-Token', 'xx'), 403, 'FORBIDDEN');
      // a valid JWT is no substitute, whatever its role
      const admin = `Bearer ${guarded.token('metrics-admin', 'admin')}`;
      expectProblem(await guarded.http().get('/api/metrics').set('Authorization', admin), 403, 'FORBIDDEN');
    });

    it('serves the metrics with the right header', async () => {
      const res = await guarded.http().get('/api/metrics').set('X-Metrics-Token', 'x');
      expect(res.status).toBe(200);
      expect(res.text).toContain('# TYPE http_requests_total counter');
    });

    it('leaves the other apps open', async () => {
      expect((await t.http().get('/api/metrics')).status).toBe(200);
    });
  });
});
