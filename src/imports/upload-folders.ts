import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Uploads wait in a temporary folder of their own, named after the process that received them
 * (`comment-desk-import-PID-…`), holding the id of their job once there is one: a process that
 * died (crashed, killed, out of memory) leaves folders that the next one on the machine finds,
 * removes, and whose jobs it marks failed.
 */
const PREFIX = 'comment-desk-import-';
const NAME = /^comment-desk-import-(\d+)-/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The folders this process is using (whichever instance of the service in it made them). */
const inUse = new Set<string>();

export async function createUploadFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  inUse.add(dir);
  return dir;
}

export async function recordJob(dir: string, jobId: string): Promise<void> {
  await writeFile(join(dir, 'job'), jobId);
}

export async function removeUploadFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  inUse.delete(dir);
}

/** Removes the folders of processes that stopped; resolves with the ids of their jobs. */
export async function sweepUploadFolders(): Promise<string[]> {
  const jobs: string[] = [];
  for (const name of await readdir(tmpdir())) {
    const owner = NAME.exec(name);
    if (!owner) continue;
    const dir = join(tmpdir(), name);
    const pid = Number(owner[1]);
    // A pid that is ours but not a folder of ours: a process before us had it (a container restarted).
    if (pid === process.pid ? inUse.has(dir) : isAlive(pid)) continue;
    const jobId = (await readFile(join(dir, 'job'), 'utf8').catch(() => '')).trim();
    if (UUID.test(jobId)) jobs.push(jobId);
    await rm(dir, { recursive: true, force: true });
  }
  return jobs;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
