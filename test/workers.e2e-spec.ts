import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { startBuiltService, startProdFlags } from './support/built-service';
import { until } from './support/expect';
import { freePort } from './support/postgres-servers';
import { StreamReader } from './support/stream-reader';
import { createTestDatabase, signToken } from './support/test-app';

/**
 * WORKERS=2: the built service as `npm run start:prod` runs it, a primary and two workers on one
 * port. Which worker answered a request is read from its log line (each line names its worker).
 */

type Service = ReturnType<typeof startBuiltService> & { port: number };

const id = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** One request on a connection of its own: round-robin hands each new connection to the next worker. */
function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  return new Promise<{ status: number; body?: any; error?: string }>((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(text) : text,
          }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, error: error.code ?? String(error) }));
    req.end(payload);
  });
}

async function exitWithin(service: Service, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    service.exited,
    new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(() => reject(new Error(`no exit within ${ms} ms; output:\n${service.output()}`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

describe('WORKERS: several processes on one port', () => {
  const started: ChildProcess[] = [];
  afterAll(() => {
    // The workers end with their primary (node:cluster ends a worker whose primary is gone).
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  async function start(dbUrl: string, env: Record<string, string> = {}): Promise<Service> {
    const port = await freePort();
    const service = startBuiltService(dbUrl, port, {
      flags: startProdFlags(),
      env: { WORKERS: '2', LOG_LEVEL: 'info', ...env },
    });
    started.push(service.child);
    return { ...service, port };
  }

  async function listening(service: Service) {
    await until(
      'the service to listen',
      30_000,
      async () => (await call(service.port, 'GET', '/api/health')).status === 200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; output:\n${service.output()}`);
    });
  }

  /** The worker (its number and pid) whose log line has this request id. */
  async function answeredBy(service: Service, requestId: string): Promise<{ worker: number; pid: number }> {
    let line: Record<string, any> | undefined;
    await until(`the log line of ${requestId}`, 5_000, async () => {
      line = service.logLines().find((l) => l.req?.id === requestId);
      return line !== undefined;
    });
    return { worker: line!.worker, pid: line!.pid };
  }

  /** Asks on new connections until every worker has answered: worker number to pid. */
  async function workersAnswering(service: Service, count: number): Promise<Map<number, number>> {
    const seen = new Map<number, number>();
    await until(`${count} workers to answer`, 10_000, async () => {
      const requestId = id('health');
      expect((await call(service.port, 'GET', '/api/health', { 'x-request-id': requestId })).status).toBe(200);
      const { worker, pid } = await answeredBy(service, requestId);
      seen.set(worker, pid);
      return seen.size === count;
    });
    return seen;
  }

  it('serves from two processes with the heap cap each, and carries a post on one to streams on the other; SIGTERM ends the streams and exits 0', async () => {
    const dbUrl = await createTestDatabase();
    const admin = new Client({ connectionString: dbUrl });
    await admin.connect();
    try {
      // An empty database: both workers start at once, and the migrations' advisory lock lets one apply them.
      await admin.query('DROP SCHEMA public CASCADE; DROP SCHEMA pgboss CASCADE; CREATE SCHEMA public');
      const service = await start(dbUrl);
      await listening(service);

      const workers = await workersAnswering(service, 2);
      expect([...workers.keys()].sort()).toEqual([1, 2]);
      const pids = [...workers.values()];
      expect(new Set([...pids, service.child.pid]).size).toBe(3); // two workers, neither the primary
      for (const pid of pids) {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        expect(argv).toEqual(expect.arrayContaining(startProdFlags()));
      }
      // A scrape is answered by one worker, whose metrics say which.
      const scrapeId = id('metrics');
      const scrape = await call(service.port, 'GET', '/api/metrics', { 'x-request-id': scrapeId });
      expect(scrape.status).toBe(200);
      const scrapedWorker = (await answeredBy(service, scrapeId)).worker;
      expect(scrape.body).toContain(`process_start_time_seconds{worker="${scrapedWorker}"}`);

      const migrated = service.logLines().filter((l) => l.context === 'Migrations');
      expect(migrated.map((l) => l.msg)).toEqual([expect.stringMatching(/^Applied \w+/)]);
      const { rows } = await admin.query(
        'SELECT count(*)::int AS n, count(DISTINCT name)::int AS names FROM migrations',
      );
      expect(rows[0].n).toBe(rows[0].names);

      const moderator = { authorization: `Bearer ${signToken('mod-workers', 'moderator')}` };
      const created = await call(service.port, 'POST', '/api/articles', moderator, {
        url: `https://news.example/${id('workers')}`,
        title: 'Two workers',
      });
      expect(created.status).toBe(201);
      const path = `/api/articles/${created.body.id}/comments/stream`;
      const streams: StreamReader[] = [];
      for (let i = 0; i < 4; i++) streams.push(await StreamReader.connect(service.port, path));
      const moderation = await StreamReader.connect(service.port, '/api/moderation/stream', moderator);
      expect([...streams, moderation].map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);

      const postId = id('post');
      const posted = await call(
        service.port,
        'POST',
        `/api/articles/${created.body.id}/comments`,
        { authorization: `Bearer ${signToken('ann')}`, 'x-request-id': postId },
        { body: 'from one worker to the other' },
      );
      expect(posted.status).toBe(201);
      for (const stream of streams) {
        const [event] = await stream.waitFor(1, 'comment.created');
        expect(JSON.parse(event.data)).toMatchObject({ id: posted.body.id });
      }

      service.child.kill('SIGTERM');
      await until('every stream ended', 10_000, () => [...streams, moderation].every((s) => s.ended));
      for (const s of [...streams, moderation]) expect(s.retries).toHaveLength(1);
      const { code, signal } = await exitWithin(service, 15_000);
      expect({ code, signal, output: code === 0 ? '' : service.output() }).toEqual({
        code: 0,
        signal: null,
        output: '',
      });
      expect(service.logLines().filter((l) => l.level >= 50)).toEqual([]);

      // The streams were held by both workers; the post was answered by one of them.
      const postedBy = (await answeredBy(service, postId)).worker;
      const streamWorkers = await Promise.all(
        streams.map(async (s) => (await answeredBy(service, String(s.headers['x-request-id']))).worker),
      );
      expect(new Set(streamWorkers)).toEqual(new Set([1, 2]));
      expect(streamWorkers).toContain(3 - postedBy);
    } finally {
      await admin.end();
    }
  }, 90_000);

  it('replaces a worker that dies, and answers all the while', async () => {
    const service = await start(await createTestDatabase());
    await listening(service);
    const workers = await workersAnswering(service, 2);
    const [[victim, victimPid]] = workers;
    process.kill(victimPid, 'SIGKILL');
    await until('the primary to tell of it', 5_000, () =>
      service
        .logLines()
        .some(
          (l) =>
            l.workerPid === victimPid &&
            l.msg === `Worker ${victim} (pid ${victimPid}) died (killed by SIGKILL); replacing it in 1 s`,
        ),
    );

    const statuses: number[] = [];
    let replacement: number | undefined;
    await until(`a new worker ${victim}`, 30_000, async () => {
      const requestId = id('health');
      const answer = await call(service.port, 'GET', '/api/health', { 'x-request-id': requestId });
      statuses.push(answer.status);
      const { worker, pid } = await answeredBy(service, requestId);
      if (worker === victim && pid !== victimPid) replacement = pid;
      return replacement !== undefined;
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    service.child.kill('SIGTERM');
    const { code } = await exitWithin(service, 15_000);
    expect({ code, output: code === 0 ? '' : service.output() }).toEqual({ code: 0, output: '' });
  }, 90_000);

  describe('does not start, and says why', () => {
    it.each([
      [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 16 characters long'],
      [{ WORKERS: 'lots' }, 'WORKERS must be a whole number, 1 to 64, or auto'],
    ])('with a bad environment (%p), before forking a worker', async (env, message) => {
      const service = await start('postgres://nobody@127.0.0.1:1/none', env);
      const { code } = await exitWithin(service, 10_000);
      expect(code).toBe(1);
      expect(service.output()).toContain(message);
      expect(service.output()).not.toContain('Starting');
    });

    it('when a worker cannot start: the primary stops the others and exits 1 with the reason', async () => {
      const service = await start(await createTestDatabase(), { IMPORT_MAX_DEPTH: 'deep' });
      const { code } = await exitWithin(service, 30_000);
      expect(code).toBe(1);
      const fatal = service.logLines().filter((l) => l.level === 60);
      expect(fatal.map((l) => l.msg)).toEqual([
        expect.stringMatching(
          /^Worker [12] could not start \(exit code 1\): IMPORT_MAX_DEPTH must be a whole number, 1 or more \(it is "deep"\)\. Stopping\.$/,
        ),
      ]);
    }, 40_000);

    it('when the database cannot be reached', async () => {
      const service = await start(`postgres://nobody@127.0.0.1:${await freePort()}/none`);
      const { code } = await exitWithin(service, 40_000);
      expect(code).toBe(1);
      expect(service.logLines().find((l) => l.level === 60)?.msg).toMatch(
        /could not start \(exit code 1\): connect ECONNREFUSED/,
      );
    }, 50_000);
  });
});
