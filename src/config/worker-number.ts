import cluster from 'node:cluster';

/** Set by the primary (src/workers.ts) on each worker it forks; a replacement takes the number over. */
export const WORKER_NUMBER_VARIABLE = 'COMMENT_DESK_WORKER';

/** This process's number among the workers (1 to WORKERS), on its log lines and metrics; undefined when it runs alone. */
export function workerNumber(): number | undefined {
  const value = cluster.isWorker ? Number(process.env[WORKER_NUMBER_VARIABLE]) : NaN;
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
