import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ArticlesService } from '../src/articles/articles.service';
import { dataSourceOptions } from '../src/database/data-source';
import type { EmbeddedPostgresHandle } from '../src/database/embedded-postgres';
import { runMigrationsLocked } from '../src/database/migrate';
import { Api, CommentJson, expectStatus, unique } from './support/comments-helpers';
import { databaseUrl } from './support/database-url';
import {
  allowReplicationFromLocalhost,
  freePort,
  makeStandbyCopy,
  ServerProcess,
  startPostgresProcess,
  startStandby,
} from './support/postgres-servers';
import { until } from './support/expect';
import { signToken, TestApp, createTestApp } from './support/test-app';

/**
 * A primary and a streaming replica of it, both real PostgreSQL servers: anonymous readers' pages
 * come from the replica, everything else (writes, signed-in readers, moderators) from the primary.
 * Pausing the replica's replay makes the difference visible.
 */
describe('read replicas', () => {
  const flags = ['-c', 'fsync=off'];
  let dir: string | undefined;
  let primary: EmbeddedPostgresHandle | undefined;
  let replica: ServerProcess | undefined;
  let primaryDb: Client | undefined;
  let replicaDb: Client | undefined;
  let t: TestApp | undefined;
  let api: Api;
  let primaryUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'comment-desk-replicas-'));
    chmodSync(dir, 0o755); // the servers run as the postgres user, who must be able to enter it
    const primaryHome = join(dir, 'primary');
    const replicaHome = join(dir, 'replica');
    mkdirSync(primaryHome, { mode: 0o755 });
    mkdirSync(replicaHome, { mode: 0o755 });
    const port = await freePort(); // fixed: the replica's primary_conninfo names it

    // A migrated database on the primary, then a cold copy of the stopped primary as the standby.
    const first = await startPostgresProcess(primaryHome, { flags, port });
    try {
      const admin = new Client({ connectionString: first.url });
      await admin.connect();
      await admin.query('CREATE DATABASE replicas');
      await admin.end();
      const dataSource = new DataSource(dataSourceOptions(databaseUrl(first.url, 'replicas')));
      await dataSource.initialize();
      await runMigrationsLocked(dataSource);
      await dataSource.destroy();
    } finally {
      await first.stop();
    }
    allowReplicationFromLocalhost(join(primaryHome, 'pg'));
    const password = decodeURIComponent(new URL(first.url).password);
    makeStandbyCopy(join(primaryHome, 'pg'), join(replicaHome, 'pg'), { port, password });

    primary = await startPostgresProcess(primaryHome, { flags, port });
    primaryUrl = databaseUrl(primary.url, 'replicas');
    const replicaPort = await freePort();
    const replicaServerUrl = new URL(primary.url);
    replicaServerUrl.port = String(replicaPort);
    const replicaUrl = databaseUrl(replicaServerUrl.toString(), 'replicas');
    replica = await startStandby(join(replicaHome, 'pg'), replicaPort, flags, replicaUrl);

    primaryDb = new Client({ connectionString: primaryUrl });
    replicaDb = new Client({ connectionString: replicaUrl });
    await Promise.all([primaryDb.connect(), replicaDb.connect()]);
    await until('the replica to stream from the primary', 30_000, async () => {
      const { rows } = await primaryDb!.query(
        `SELECT state FROM pg_stat_replication WHERE application_name = 'replica'`,
      );
      return rows[0]?.state === 'streaming';
    });

    t = await createTestApp({ DATABASE_REPLICA_URLS: replicaUrl }, primaryUrl);
    api = new Api(t);
  }, 120_000);

  afterAll(async () => {
    delete process.env.DATABASE_REPLICA_URLS;
    await t?.close();
    await primaryDb?.end();
    await replicaDb?.end();
    await replica?.stop();
    await primary?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const mod = signToken('mod-replicas', 'moderator');
  const reader = signToken('reader-replicas');

  /** Waits until the replica has replayed everything the primary has written so far. */
  async function caughtUp(): Promise<void> {
    const { rows } = await primaryDb!.query('SELECT pg_current_wal_lsn()::text AS lsn');
    await until(`the replica to replay up to ${rows[0].lsn}`, 15_000, async () => {
      const { rows: replayed } = await replicaDb!.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [
        rows[0].lsn,
      ]);
      return replayed[0].done as boolean;
    });
  }

  /** Runs `work` with the replica's replay paused: it then has nothing written after this point. */
  async function withReplayPaused(work: () => Promise<void>): Promise<void> {
    await caughtUp();
    await replicaDb!.query('SELECT pg_wal_replay_pause()');
    // 'pause requested' already stops replay before the next WAL record.
    const { rows } = await replicaDb!.query('SELECT pg_get_wal_replay_pause_state() AS state');
    expect(['pause requested', 'paused']).toContain(rows[0].state);
    try {
      await work();
    } finally {
      await replicaDb!.query('SELECT pg_wal_replay_resume()');
    }
  }

  const ids = (items: CommentJson[]) => items.map((c) => c.id);

  it('runs on a primary and a read-only streaming replica of it', async () => {
    expect((await primaryDb!.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(false);
    expect((await replicaDb!.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    await expect(replicaDb!.query('CREATE TABLE nope (id int)')).rejects.toThrow(/read-only transaction/);
    expectStatus(await t!.http().get('/api/health'), 200);
  });

  it('shows an author their comment at once, and anonymous readers when the replica has it', async () => {
    const article = await api.createArticle(mod);
    await caughtUp();
    const before = await api.thread(article.id);
    expectStatus(before, 200);
    expect(before.body.items).toEqual([]);

    let comment!: CommentJson;
    let reply!: CommentJson;
    let later!: { id: string };
    const laterUrl = `https://news.example/${unique('later')}`;
    await withReplayPaused(async () => {
      // Writes go to the primary (the replica would refuse them): all succeed with replay paused.
      comment = await api.comment(reader, article.id, 'Posted while the replica is behind');
      reply = await api.comment(reader, article.id, 'And a reply to it', comment.id);

      // The author reads the primary: their comment is there at once, with its reply.
      const own = await api.thread(article.id, {}, reader);
      expectStatus(own, 200);
      expect(ids(own.body.items)).toEqual([comment.id]);
      expect(ids(own.body.items[0].replies)).toEqual([reply.id]);
      expect(ids((await api.walkReplies(comment.id, 10, reader)).items)).toEqual([reply.id]);

      // So does a moderator.
      const moderator = await api.thread(article.id, {}, mod);
      expectStatus(moderator, 200);
      expect(ids(moderator.body.items)).toEqual([comment.id]);

      // Anonymous readers read the replica: the thread as it was, version (ETag) and page alike...
      const anonymous = await api.thread(article.id);
      expectStatus(anonymous, 200);
      expect(anonymous.body.items).toEqual([]);
      expect(anonymous.headers.etag).toBe(before.headers.etag);
      expect((await api.thread(article.id).set('If-None-Match', before.headers.etag)).status).toBe(304);
      // ...also for a page not cached before (a query the replica answers),
      const uncached = await api.thread(article.id, { limit: 7, sort: 'oldest' });
      expectStatus(uncached, 200);
      expect(uncached.body.items).toEqual([]);
      // and the replies of a comment the replica does not have yet are not found.
      expect((await api.replies(comment.id)).status).toBe(404);

      // The article service reads the replica only when asked to, for anonymous readers.
      later = await api.createArticle(mod, { url: laterUrl });
      const articles = t!.app.get(ArticlesService);
      await expect(articles.findById(later.id, { replica: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await articles.findById(later.id)).article.id).toBe(later.id);
      expect((await articles.findByUrl(1, laterUrl, { replica: true })).articles).toEqual([]);
      expect((await articles.findByUrl(1, laterUrl)).articles.map((a) => a.id)).toEqual([later.id]);
    });

    // Replay resumed: anonymous readers see the comment as soon as the replica has it.
    const seen = await until('anonymous readers to see the comment', 15_000, async () => {
      const res = await api.thread(article.id);
      return res.status === 200 && res.body.items.length === 1 ? res : undefined;
    });
    expect(ids(seen.body.items)).toEqual([comment.id]);
    expect(ids(seen.body.items[0].replies)).toEqual([reply.id]);
    expect(seen.headers.etag).not.toBe(before.headers.etag);
    await caughtUp();
    expect(ids((await api.walkReplies(comment.id, 10)).items)).toEqual([reply.id]);
    const articles = t!.app.get(ArticlesService);
    expect((await articles.findById(later.id, { replica: true })).article.id).toBe(later.id);
    expect((await articles.findByUrl(1, laterUrl, { replica: true })).articles.map((a) => a.id)).toEqual([later.id]);
  });

  it("serves moderators' reads and decisions from the primary", async () => {
    const article = await api.createArticle(mod, { moderationMode: 'pre' });
    let held!: CommentJson;
    await withReplayPaused(async () => {
      held = await api.comment(reader, article.id, 'Waiting for a moderator');
      expect(held.status).toBe('pending');

      // The author sees their held comment; the moderator finds it in the queue and approves it.
      expect(ids((await api.thread(article.id, {}, reader)).body.items)).toEqual([held.id]);
      const queue = await t!
        .http()
        .get('/api/moderation/queue/pending')
        .query({ articleId: article.id })
        .set('Authorization', `Bearer ${mod}`);
      expectStatus(queue, 200);
      expect(queue.body.items.map((c: CommentJson) => c.id)).toEqual([held.id]);
      expectStatus(await api.approve(mod, held.id), 200);

      const moderator = await api.thread(article.id, {}, mod);
      expect(moderator.body.items.map((c: CommentJson) => [c.id, c.status])).toEqual([[held.id, 'approved']]);
      // TypeORM's own reads (its query builder would default to a replica) stay on the primary too.
      const fresh = await api.createArticle(mod);
      const listed = await t!.http().get('/api/articles').query({ limit: 100 }).set('Authorization', `Bearer ${mod}`);
      expectStatus(listed, 200);
      expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(fresh.id);
      expect(t!.app.get(DataSource).defaultReplicationModeForReads()).toBe('master');
      // Anonymous readers: not yet, the replica has neither the comment nor the approval.
      expect((await api.thread(article.id)).body.items).toEqual([]);
    });

    await until('anonymous readers to see the approved comment', 15_000, async () => {
      const res = await api.thread(article.id);
      return res.status === 200 && res.body.items.length === 1 && res.body.items[0].id === held.id;
    });
  });

  it('keeps the primary and the replica in agreement after the flows', async () => {
    await caughtUp();
    const count = 'SELECT count(*)::int AS n, max(updated_at) AS last FROM articles';
    const [onPrimary, onReplica] = await Promise.all([primaryDb!.query(count), replicaDb!.query(count)]);
    expect(onReplica.rows).toEqual(onPrimary.rows);
  });

  // Last: it stops the replica.
  it('serves anonymous readers from the primary while the replica is down', async () => {
    const article = await api.createArticle(mod);
    const url = `https://news.example/${unique('down')}`;
    const other = await api.createArticle(mod, { url });
    await replicaDb!.end();
    replicaDb = undefined;
    await replica!.stop();
    replica = undefined;

    const comment = await api.comment(reader, article.id, 'Posted with the replica down');
    for (let i = 0; i < 3; i++) {
      // The first read finds the replica gone and is redone on the primary; the next go there.
      const thread = await api.thread(article.id);
      expectStatus(thread, 200);
      expect(ids(thread.body.items)).toEqual([comment.id]);
      expectStatus(await t!.http().get(`/api/articles/${article.id}`), 200);
      const byUrl = await t!.http().get('/api/articles').query({ url });
      expectStatus(byUrl, 200);
      expect(byUrl.body.items.map((a: { id: string }) => a.id)).toEqual([other.id]);
      expectStatus(await api.replies(comment.id), 200);
    }
  });
});
