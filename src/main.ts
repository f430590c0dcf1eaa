import cluster from 'node:cluster';
import pino from 'pino';
import { validateEnvironment } from './config/environment';
import { failStart, runWorkers } from './workers';

/**
 * `npm run start:prod` (node dist/src/main): the service in this process, or with WORKERS > 1 a
 * primary that forks that many (src/workers.ts). The choice is made before Nest is loaded, so
 * that the primary stays small. The environment is checked here first: a bad one stops
 * everything with the names of the bad variables, before any worker starts.
 */
function main(): void {
  let env;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    return failStart((error as Error).message);
  }
  if (cluster.isPrimary && env.WORKERS > 1) {
    return runWorkers(env.WORKERS, pino({ level: env.LOG_LEVEL }, process.stdout));
  }
  // Loaded only now: the primary never needs it.
  const { bootstrap } = require('./bootstrap') as typeof import('./bootstrap');
  bootstrap().catch((error: Error) => failStart(error.message));
}

main();
