import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, IncomingHttpHeaders, request as httpRequest, Server } from 'node:http';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request, { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import type { EmbeddedPostgresHandle } from '../src/database/embedded-postgres';
import { runMigrationsLocked } from '../src/database/migrate';
import { startBuiltService } from './support/built-service';
import { databaseUrl } from './support/database-url';
import { storedAndRecountedArticleCounts } from './support/recount';
import { expectProblem, until } from './support/expect';
import { StreamReader } from './support/stream-reader';
import { freePort, startPostgresProcess } from './support/postgres-servers';
import { createTestApp, createTestDatabase, signToken, TestApp } from './support/test-app';

/** What happens when the world misbehaves: the database goes away, the process is told to stop, instances boot together. */

const id = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** Resolves 'refused' when nothing listens on the port, 'accepted' when something does. */
function probe(port: number): Promise<'refused' | 'accepted'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
    );
  });
}

/** One HTTP call over `agent`; a connection error is returned, not thrown. */
function httpCall(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  return new Promise<{ status: number; headers?: IncomingHttpHeaders; body?: any; error?: string }>((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, error: error.code ?? String(error) }));
    req.end(payload);
  });
}

describe('faults', () => {
  // The SIGTERM tests run the built service (global-setup builds dist/ when it is stale).

  // ----------------------------------------------------------------------------------------------
  describe('PostgreSQL stops in the middle of a load', () => {
    const flags = ['-c', 'fsync=off', '-c', 'full_page_writes=off'];
    let dir: string;
    let pg: EmbeddedPostgresHandle | undefined;
    let url: string;
    let t: TestApp | undefined;
    let server: Server;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'comment-desk-faults-'));
      chmodSync(dir, 0o755); // the server runs as the postgres user, who must be able to enter it
      pg = await startPostgresProcess(dir, { flags });
      const admin = new Client({ connectionString: pg.url });
      await admin.connect();
      await admin.query('CREATE DATABASE faults');
      await admin.end();
      url = databaseUrl(pg.url, 'faults');
      const dataSource = new DataSource(dataSourceOptions(url));
      await dataSource.initialize();
      await runMigrationsLocked(dataSource);
      await dataSource.destroy();
      t = await createTestApp({}, url);
      // The test's own client would die with the server: end it now, reconnect after the restart.
      await t.db.end();
      server = t.app.getHttpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    }, 60_000);

    afterAll(async () => {
      await t?.app.close();
      await pg?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('answers 503 quickly while it is away, recovers by itself, and loses no accepted comment', async () => {
      const mod = signToken('mod-faults', 'moderator');
      const created = await request(server)
        .post('/api/articles')
        .set('Authorization', `Bearer ${mod}`)
        .send({ url: `https://news.example/${id('faults')}`, title: 'Under load' });
      expect(created.status).toBe(201);
      const articleId: string = created.body.id;

      type Answer = { status: number; ms: number; res?: Response; error?: string; phase: string };
      const answers: Answer[] = [];
      let phase = 'up';
      let running = true;
      let n = 0;
      const worker = async (w: number) => {
        while (running) {
          const i = ++n;
          const started = Date.now();
          const at = phase;
          try {
            const res = await request(server)
              .post(`/api/articles/${articleId}/comments`)
              .set('Authorization', `Bearer ${signToken(`loader-${w}`)}`)
              .timeout(15_000)
              .send({ body: `load comment ${i}` });
            answers.push({ status: res.status, ms: Date.now() - started, res, phase: at });
          } catch (error) {
            answers.push({ status: 0, ms: Date.now() - started, error: String(error), phase: at });
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, w) => worker(w));
      const count = (p: (a: Answer) => boolean) => answers.filter(p).length;

      let recoveredInMs: number;
      try {
        await until('40 comments accepted while up', 15_000, () => count((a) => a.status === 201) >= 40);
        phase = 'stopping';
        await pg!.stop();
        phase = 'down';
        const down503s = count((a) => a.status === 503);
        await until('503s while down', 15_000, () => count((a) => a.status === 503) >= down503s + 20);

        // Health and reads say so too, at once.
        const checkedAt = Date.now();
        const health = await request(server).get('/api/health').timeout(10_000);
        expect(health.status).toBe(503);
        const reads = await request(server).get(`/api/articles/${articleId}`).timeout(10_000);
        expectProblem(reads, 503, 'UNAVAILABLE');
        expect(reads.headers['retry-after']).toBeDefined();
        expect(Date.now() - checkedAt).toBeLessThan(5_000);

        phase = 'restarting';
        pg = await startPostgresProcess(dir, { flags, port: pg!.port });
        phase = 'restarted';
        const restartedAt = Date.now();
        await until(
          'health 200 after the restart',
          20_000,
          async () => (await request(server).get('/api/health')).status === 200,
        );
        const acceptedBefore = count((a) => a.status === 201 && a.phase === 'restarted');
        await until(
          'comments accepted again',
          20_000,
          () => count((a) => a.status === 201 && a.phase === 'restarted') >= acceptedBefore + 20,
        );
        recoveredInMs = Date.now() - restartedAt;
      } finally {
        running = false; // also when a step above failed: no load left running
        await Promise.all(workers);
      }

      // Every answer is 201 or a quick 503 problem; nothing hung, nothing crashed.
      const odd = answers.filter((a) => a.status !== 201 && a.status !== 503);
      expect(odd.map((a) => `${a.phase}: ${a.status} ${a.error ?? JSON.stringify(a.res?.body)}`)).toEqual([]);
      for (const a of answers.filter((x) => x.status === 503)) expectProblem(a.res!, 503, 'UNAVAILABLE');
      const slow = answers.filter((a) => a.ms > 5_000);
      expect(slow.map((a) => `${a.phase}: ${a.status} in ${a.ms} ms`)).toEqual([]);
      expect(count((a) => a.status === 503)).toBeGreaterThan(20);
      expect(recoveredInMs).toBeLessThan(20_000);

      // Every comment answered 201 is stored, and the counts agree with them.
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const ids = answers.filter((a) => a.status === 201).map((a) => a.res!.body.id as string);
        const { rows } = await db.query(`SELECT id FROM comments WHERE id = ANY($1::uuid[])`, [ids]);
        expect(rows.length).toBe(ids.length);
        t!.db = db;
        const counts = await storedAndRecountedArticleCounts(t!, [articleId]);
        expect(counts.stored).toEqual(counts.recounted);
      } finally {
        await db.end();
      }
    }, 90_000);
  });

  // ----------------------------------------------------------------------------------------------
  describe('SIGTERM', () => {
    let child: ChildProcess | undefined;

    afterAll(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    it('finishes the requests in flight, refuses new connections, closes its pool and exits 0', async () => {
      const dbUrl = await createTestDatabase();
      const port = await freePort();
      const service = startBuiltService(dbUrl, port);
      child = service.child;
      const { exited } = service;
      // Keep-alive connections, as a load balancer in front of the service keeps them.
      const agent = new Agent({ keepAlive: true });
      const call = (method: string, path: string, token?: string, body?: unknown) =>
        httpCall(agent, port, method, path, { ...(token ? { authorization: `Bearer ${token}` } : {}) }, body);
      try {
        await until('the service to listen', 20_000, async () => (await call('GET', '/api/health')).status === 200);
        const created = await call('POST', '/api/articles', signToken('mod-sigterm', 'moderator'), {
          url: `https://news.example/${id('sigterm')}`,
          title: 'Shutting down',
        });
        expect(created.status).toBe(201);
        const article = created.body as { id: string };

        // Hold the article's row so that the posts stay in flight until we let go.
        const db = new Client({ connectionString: dbUrl });
        const watcher = new Client({ connectionString: dbUrl });
        await Promise.all([db.connect(), watcher.connect()]);
        try {
          await db.query('BEGIN');
          await db.query('SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [article.id]);
          const inFlight = Array.from({ length: 12 }, (_, i) =>
            call('POST', `/api/articles/${article.id}/comments`, signToken(`late-${i}`), { body: `in flight ${i}` }),
          );
          // Two of them wait on the row (an article is in at most two of the service's statements:
          // no more take a connection); the others wait in the service's memory.
          await until('two posts waiting on the lock', 10_000, async () => {
            // (not from `db`: inside its transaction, pg_stat_activity is a snapshot)
            const { rows } = await watcher.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            return rows[0].n === 2;
          });
          // A request sent after them and answered: the service has read the twelve as well.
          expect((await call('GET', '/api/health')).status).toBe(200);

          child.kill('SIGTERM');
          await until('new connections refused', 10_000, async () => (await probe(port)) === 'refused');
          expect(child.exitCode).toBeNull(); // still draining

          await db.query('COMMIT');
          const answers = await Promise.all(inFlight);
          const answeredAt = Date.now();
          // Each is answered, and told that its connection closes: a client does not send more on it.
          expect(answers.map((a) => `${a.status} connection: ${a.headers?.connection}`)).toEqual(
            answers.map(() => '201 connection: close'),
          );
          // Nothing is served after the drain, not even on a connection that was open before.
          const after = await call('GET', '/api/health');
          expect(after.error).toBe('ECONNREFUSED');

          let timer: NodeJS.Timeout | undefined;
          const { code, signal } = await Promise.race([
            exited,
            new Promise<never>(
              (_, reject) =>
                (timer = setTimeout(
                  () => reject(new Error(`no exit within 15 s; output:\n${service.output()}`)),
                  15_000,
                )),
            ),
          ]).finally(() => clearTimeout(timer));
          expect({ code, signal, output: code === 0 ? '' : service.output() }).toEqual({
            code: 0,
            signal: null,
            output: '',
          });
          expect(Date.now() - answeredAt).toBeLessThan(3_000); // not held open by idle keep-alive connections
          expect(service.output()).not.toMatch(/"level":(50|60)/); // no error on the way out (closing the pool included)

          // Its sessions end with it, and everything that was answered 201 is stored.
          await until("the service's sessions to end", 5_000, async () => {
            const { rows: sessions } = await db.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1)`,
              [(watcher as unknown as { processID: number }).processID],
            );
            return sessions[0].n === 0;
          });
          const { rows } = await db.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [
            article.id,
          ]);
          expect(rows[0].n).toBe(12);
        } finally {
          await Promise.all([db.end(), watcher.end()]);
        }
      } finally {
        agent.destroy();
      }
    }, 60_000);
  });

  // ----------------------------------------------------------------------------------------------
  describe('SIGTERM with open event streams', () => {
    let child: ChildProcess | undefined;
    afterAll(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    it('ends every stream, telling its client to reconnect (elsewhere), and still exits 0', async () => {
      const port = await freePort();
      const service = startBuiltService(await createTestDatabase(), port);
      child = service.child;
      const exited = service.exited.then(({ code }) => code);
      const agent = new Agent();
      try {
        await until(
          'the service to listen',
          20_000,
          async () => (await httpCall(agent, port, 'GET', '/api/health', {})).status === 200,
        );
        const created = await httpCall(
          agent,
          port,
          'POST',
          '/api/articles',
          { authorization: `Bearer ${signToken('mod-drain', 'moderator')}` },
          {
            url: `https://news.example/${id('drain')}`,
            title: 'Draining',
          },
        );
        expect({ status: created.status, error: created.error }).toEqual({ status: 201, error: undefined });
        const path = `/api/articles/${(created.body as { id: string }).id}/comments/stream`;
        const streams = await Promise.all([
          StreamReader.connect(port, path),
          StreamReader.connect(port, path),
          StreamReader.connect(port, '/api/moderation/stream', {
            authorization: `Bearer ${signToken('mod-drain', 'moderator')}`,
          }),
        ]);
        expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
        child.kill('SIGTERM');
        await until('every stream ended', 10_000, () => streams.every((s) => s.ended));
        for (const s of streams) expect(s.retries).toHaveLength(1);
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([
          exited,
          new Promise<never>(
            (_, reject) =>
              (timer = setTimeout(() => reject(new Error(`no exit within 10 s:\n${service.output()}`)), 10_000)),
          ),
        ]).finally(() => clearTimeout(timer));
        expect({ code, output: code === 0 ? '' : service.output() }).toEqual({ code: 0, output: '' });
      } finally {
        agent.destroy();
      }
    }, 60_000);
  });

  // ----------------------------------------------------------------------------------------------
  describe('migrations', () => {
    it('brings up two instances started at once on one empty database', async () => {
      const url = await createTestDatabase();
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query('DROP SCHEMA public CASCADE; DROP SCHEMA pgboss CASCADE; CREATE SCHEMA public');
        const apps = await Promise.all([createTestApp({}, url), createTestApp({}, url)]);
        try {
          for (const app of apps) expect((await app.http().get('/api/health')).status).toBe(200);
          const mod = signToken('mod-migrations', 'moderator');
          const article = await apps[0]
            .http()
            .post('/api/articles')
            .set('Authorization', `Bearer ${mod}`)
            .send({ url: `https://news.example/${id('boot')}`, title: 'Two at once' });
          expect(article.status).toBe(201);
          const comment = await apps[1]
            .http()
            .post(`/api/articles/${article.body.id}/comments`)
            .set('Authorization', `Bearer ${signToken('booter')}`)
            .send({ body: 'both are up' });
          expect(comment.status).toBe(201);
          const { rows: migrations } = await admin.query(
            'SELECT name, count(*)::int AS n FROM migrations GROUP BY name',
          );
          expect(migrations.length).toBeGreaterThan(0);
          expect(migrations.filter((m) => m.n !== 1)).toEqual([]);
          const { rows: settings } = await admin.query('SELECT count(*)::int AS n FROM moderation_settings');
          expect(settings[0].n).toBe(1);
        } finally {
          await Promise.all(apps.map((a) => a.close()));
        }
      } finally {
        await admin.end();
      }
    });
  });
});
