import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { WORKER_NUMBER_VARIABLE } from './config/worker-number';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** A worker that dies is replaced after 1 s, then 2, 4, … up to 30 s while its replacements keep dying within a minute. */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const STEADY_MS = 60_000;

/** One of the WORKERS places: the worker in it now, and how its predecessors fared. */
interface Slot {
  number: number;
  worker?: Worker;
  forkedAt: number;
  /** Deaths in a row, each within STEADY_MS of its fork: the next replacement's delay. */
  deaths: number;
  replacement?: NodeJS.Timeout;
}

/**
 * The primary of `WORKERS` > 1: forks that many workers, each running the whole service
 * (src/bootstrap.ts) with this process's node flags (its heap cap, then, is per worker), sharing
 * PORT through node:cluster (round-robin on Linux). It holds no Nest and no database: it only
 * watches. A worker that fails before the service is up stops everything (exit 1, with its
 * reason); one that dies later is replaced, with a backoff. SIGTERM and SIGINT are passed on to
 * every worker, each drains as a single process does, and the primary exits 0 once all have.
 */
export function runWorkers(count: number, logger: Logger): void {
  const log = logger.child({ context: 'Workers' });
  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({ number: i + 1, forkedAt: 0, deaths: 0 }));
  const listening = new Set<number>();
  let serving = false;
  let stopping: NodeJS.Signals | undefined;
  let exitCode = 0;

  const exitOnceAllGone = () => {
    if (slots.some((slot) => slot.worker)) return;
    log.info(`Every worker stopped; exiting ${exitCode}`);
    process.exit(exitCode);
  };

  const stop = (signal: NodeJS.Signals) => {
    stopping = signal;
    for (const slot of slots) clearTimeout(slot.replacement);
    for (const slot of slots) slot.worker?.process.kill(signal);
    exitOnceAllGone();
  };

  const fork = (slot: Slot) => {
    slot.replacement = undefined;
    slot.forkedAt = Date.now();
    const worker = cluster.fork({ [WORKER_NUMBER_VARIABLE]: String(slot.number) });
    const pid = worker.process.pid;
    slot.worker = worker;
    let startFailure: string | undefined;
    worker.on('message', (message: { startFailed?: unknown }) => {
      if (typeof message?.startFailed === 'string') startFailure = message.startFailed;
    });
    // A signal that could not be sent, a message that could not be: the exit still comes, and decides.
    worker.on('error', (error) =>
      log.warn({ worker: slot.number, workerPid: pid }, `Worker ${slot.number}: ${error.message}`),
    );
    worker.once('listening', () => {
      listening.add(worker.id);
      if (serving || !slots.every((s) => s.worker && listening.has(s.worker.id))) return;
      serving = true;
      log.info(`${count} workers listening`);
    });
    worker.once('exit', (code, signal) => {
      slot.worker = undefined;
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (stopping) {
        // Killed by the signal passed on: one that came before the worker listened for it.
        if (code !== 0 && signal !== stopping) {
          exitCode = 1;
          log.error({ worker: slot.number, workerPid: pid }, `Worker ${slot.number} did not stop cleanly (${how})`);
        }
        return exitOnceAllGone();
      }
      if (!serving && !listening.has(worker.id)) {
        exitCode = 1;
        log.fatal(
          { worker: slot.number, workerPid: pid },
          `Worker ${slot.number} could not start (${how}): ${startFailure ?? 'see its output above'}. Stopping.`,
        );
        return stop('SIGTERM');
      }
      slot.deaths = Date.now() - slot.forkedAt >= STEADY_MS ? 1 : slot.deaths + 1;
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (slot.deaths - 1));
      log.error(
        { worker: slot.number, workerPid: pid, code, signal, reason: startFailure },
        `Worker ${slot.number} (pid ${pid}) died (${how}); replacing it in ${delay / 1000} s`,
      );
      slot.replacement = setTimeout(() => fork(slot), delay);
    });
  };

  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (!stopping) {
        log.info(`${signal}: passing it on to the workers, which drain`);
        return stop(signal);
      }
      // A second signal: the operator will not wait for the drain.
      log.warn(`${signal} again: killing the workers`);
      exitCode = 1;
      for (const slot of slots) slot.worker?.process.kill('SIGKILL');
    });
  }
  log.info(`Starting ${count} workers`);
  slots.forEach(fork);
}

/**
 * A worker that cannot start tells the primary why (which logs it and stops the others), then
 * exits 1; a process running alone prints the reason.
 */
export function failStart(reason: string): void {
  const alone = () => {
    console.error(reason);
    process.exit(1);
  };
  if (!cluster.isWorker || !process.send || !process.connected) return alone();
  process.send({ startFailed: reason }, (error: Error | null) => (error ? alone() : process.exit(1)));
}
