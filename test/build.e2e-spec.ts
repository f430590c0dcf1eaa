import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { until } from './support/expect';
import { createTestDatabase, TEST_JWT_SECRET } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'imports');
const BUILD_MINUTES = 5 * 60_000;

/**
 * The scripts as a new user meets them: on a fresh clone (no dist/ at all), then beside a running
 * service, whose embed and console must keep answering whatever the commands beside it build.
 */
describe('the build, from a fresh clone and beside a running service', () => {
  let clone: string;
  let databaseUrl: string;
  let service: ChildProcess | undefined;
  let origin = '';
  let serviceOutput = '';
  const said = () => serviceOutput;

  beforeAll(async () => {
    clone = mkdtempSync(join(tmpdir(), 'comment-desk-clone-'));
    // What a clone of this checkout holds (with work not yet committed), and the shared install.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((path) => path && path !== 'node_modules' && existsSync(join(ROOT, path)));
    for (const path of files) {
      mkdirSync(dirname(join(clone, path)), { recursive: true });
      copyFileSync(join(ROOT, path), join(clone, path));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    databaseUrl = await createTestDatabase();
  });

  afterAll(async () => {
    if (service?.pid && service.exitCode === null) {
      const exited = new Promise((r) => service!.once('exit', r));
      process.kill(-service.pid, 'SIGTERM'); // npm, its shell and the service: the group this test started
      await exited;
    }
    rmSync(clone, { recursive: true, force: true });
  });

  const built = (path: string) => existsSync(join(clone, 'dist', path));
  const modified = (path: string) => statSync(join(clone, 'dist', path)).mtimeMs;

  it(
    'imports on a fresh clone: the import builds the service, and only the service',
    async () => {
      expect(built('.')).toBe(false);
      const { code, stderr } = await npm([
        'run',
        '-s',
        'import',
        '--',
        '--format',
        'disqus',
        join(FIXTURES, 'disqus.xml'),
      ]);
      expect(code).toBe(0);
      expect(buildLines(stderr)).toEqual([expect.stringMatching(/^server: built/)]);
      expect(await commentCount()).toBeGreaterThan(0);
      expect([built('src/main.js'), built('embed'), built('desk')]).toEqual([true, false, false]);
      // The database functions' files ship beside the compiled migrations (the import applied them).
      expect(built('migrations/functions/post_comments.sql')).toBe(true);
    },
    BUILD_MINUTES,
  );

  it(
    'npm start builds what is missing and nothing else, then serves the embed and the console',
    async () => {
      const before = modified('src/main.js');
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      service = spawn('npm', ['start'], {
        cwd: clone,
        detached: true,
        env: { ...process.env, ...serviceEnv(), PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      service.stdout!.on('data', (chunk) => (serviceOutput += chunk));
      service.stderr!.on('data', (chunk) => (serviceOutput += chunk));
      await until('npm start answers', BUILD_MINUTES, async () => {
        if (service!.exitCode !== null) throw new Error(`npm start ended: ${said()}`);
        return (await fetch(`${origin}/api/health`)).ok || undefined;
      });
      expect(buildLines(said())).toEqual([
        'server: up to date',
        expect.stringMatching(/^embed: built/),
        expect.stringMatching(/^desk: built/),
      ]);
      expect(modified('src/main.js')).toBe(before);
      expect((await fetch(`${origin}/embed.js`)).status).toBe(200);
      expect((await fetch(`${origin}/desk/`)).status).toBe(200);
    },
    BUILD_MINUTES,
  );

  it('npm start ends with where everything is, and the demo threads have comments and a queue', async () => {
    await until('the start banner', 60_000, async () => said().includes('Comment Desk is running') || undefined);
    expect(said()).toContain(`Console       http://localhost:${new URL(origin).port}/desk/`);
    expect(said()).toContain('npm run token -- --sub mona --name Mona --role moderator');
    const home = await fetch(`${origin}/`);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await home.text()).toContain('href="/desk/"');
    expect((await fetch(`${origin}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');

    const demoSite = `http://localhost:${new URL(origin).port}`;
    const token = jwt.sign({ sub: 'desk-check', role: 'moderator' }, TEST_JWT_SECRET, { expiresIn: '5m' });
    const queue = async (name: string) => {
      const res = await fetch(`${origin}/api/moderation/queue/${name}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const { items } = (await res.json()) as { items: { body: string; article: { url: string } }[] };
      return items.filter((comment) => comment.article.url.startsWith(`${demoSite}/demo`)); // not the import's
    };
    expect(await queue('pending')).toHaveLength(2);
    expect(await queue('reported')).toEqual([expect.objectContaining({ body: expect.stringContaining('guaranteed') })]);
    // The demo threads' articles are the demo pages, at the address the banner gives.
    const found = await fetch(`${origin}/api/articles?url=${encodeURIComponent(`${demoSite}/demo/closed.html`)}`);
    const [closed] = ((await found.json()) as { items: { id: string; closed: boolean }[] }).items;
    expect(closed.closed).toBe(true);
    const thread = await (await fetch(`${origin}/api/articles/${closed.id}/comments`)).json();
    expect(thread.items.length).toBeGreaterThan(0);
  });

  it(
    'an import beside the running service rebuilds a changed service without the embed or the console ever failing',
    async () => {
      appendFileSync(join(clone, 'src', 'main.ts'), '\n// A change the next command must build.\n');
      const web = [modified('embed/embed.js'), modified('desk/index.html')];
      const { result, failures, polls } = await whileServing(() =>
        npm(['run', '-s', 'import', '--', '--format', 'wordpress', join(FIXTURES, 'wordpress-1.2-https.xml')]),
      );
      expect(failures).toEqual([]);
      expect(polls).toBeGreaterThan(0);
      expect(result.code).toBe(0);
      expect(buildLines(result.stderr)).toEqual([expect.stringMatching(/^server: built/)]);
      expect([modified('embed/embed.js'), modified('desk/index.html')]).toEqual(web); // not even touched
    },
    BUILD_MINUTES,
  );

  it(
    'an export builds nothing when nothing changed',
    async () => {
      const file = join(clone, 'export.ndjson');
      const before = modified('src/main.js');
      const { code, stderr } = await npm(['run', '-s', 'export', '--', file]);
      expect(code).toBe(0);
      expect(buildLines(stderr)).toEqual(['server: up to date']);
      expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(0);
      expect(modified('src/main.js')).toBe(before);
    },
    BUILD_MINUTES,
  );

  it(
    'a new build of the embed and the console beside the running service leaves it serving its own',
    async () => {
      appendFileSync(join(clone, 'web', 'desk', 'src', 'styles.css'), '\n.build-check { color: #123456; }\n');
      appendFileSync(join(clone, 'web', 'embed', 'src', 'styles.css'), '\n.build-check { color: #123456; }\n');
      const page = await (await fetch(`${origin}/desk/`)).text();
      const { result, failures, polls } = await whileServing(() => npm(['run', '-s', 'build']));
      expect(failures).toEqual([]);
      expect(polls).toBeGreaterThan(0);
      expect(result.code).toBe(0);
      expect(buildLines(result.stderr)).toEqual([
        'server: up to date',
        expect.stringMatching(/^embed: built/),
        expect.stringMatching(/^desk: built/),
      ]);
      expect(await (await fetch(`${origin}/desk/`)).text()).toBe(page); // the console it started with, whole
      expect(readFileSync(join(clone, 'dist', 'desk', 'index.html'), 'utf8')).not.toBe(page); // the next start's
      expect(await (await fetch(`${origin}/embed.js`)).text()).toContain('#123456');
    },
    BUILD_MINUTES,
  );

  function serviceEnv() {
    return { DATABASE_URL: databaseUrl, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', RATE_LIMITS: 'off' };
  }

  /** `npm ARGS` in the clone, against the service's database. */
  function npm(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done, fail) => {
      const child = spawn('npm', args, { cwd: clone, env: { ...process.env, ...serviceEnv() } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  /**
   * Runs `command` while asking the service, again and again, for /embed.js, /desk/ and the
   * assets the console's page names: every answer that is not a 200 is a failure.
   */
  async function whileServing<T>(command: () => Promise<T>) {
    const page = await (await fetch(`${origin}/desk/`)).text();
    const assets = [...page.matchAll(/"(\/desk\/assets\/[^"]+)"/g)].map(([, path]) => path);
    expect(assets.length).toBeGreaterThan(0);
    const paths = ['/embed.js', '/desk/', ...assets];
    const failures: string[] = [];
    let polls = 0;
    let running = true;
    const polling = (async () => {
      while (running) {
        for (const path of paths) {
          try {
            const res = await fetch(`${origin}${path}`, { headers: { 'Accept-Encoding': 'br' } });
            await res.arrayBuffer();
            if (res.status !== 200) failures.push(`${path}: ${res.status}`);
          } catch (error) {
            failures.push(`${path}: ${(error as Error).message}`);
          }
        }
        polls++;
      }
    })();
    try {
      return { result: await command(), failures, polls };
    } finally {
      running = false;
      await polling;
    }
  }

  async function commentCount(): Promise<number> {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return Number((await db.query('SELECT count(*) AS n FROM comments')).rows[0].n);
    } finally {
      await db.end();
    }
  }
});

/** What the build said of each part. */
function buildLines(output: string): string[] {
  return output.match(/^(server|embed|desk): .*$/gm) ?? [];
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
