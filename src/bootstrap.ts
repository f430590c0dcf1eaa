import 'reflect-metadata';
import type { Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './app.setup';
import { Environment, validateEnvironment } from './config/environment';
import { workerNumber } from './config/worker-number';
import { createLogger, PinoNestLogger } from './logging/logging';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
/**
 * Connections the kernel holds until they are accepted (capped by net.core.somaxconn). Node's 511
 * overflows when a crowd of readers connects at once: the dropped ones wait for their SYN to be
 * sent again, up to a minute, before they even reach the stream's admission.
 */
const LISTEN_BACKLOG = 4096;

/**
 * Starts the service on PORT, in this process (src/main.ts runs it, in each worker when WORKERS > 1); DATABASE_URL and JWT_SECRET (or JWT_PUBLIC_KEY) must be set.
 * `homePage`: `/` links to the console, the demo and the docs (npm start).
 */
export async function bootstrap(options: { homePage?: boolean } = {}): Promise<NestFastifyApplication> {
  const env = validateEnvironment(process.env); // fail with the names of bad variables, before anything starts
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(env), {
    bodyParser: false,
    bufferLogs: true,
    // A failure to start (the database unreachable, a bad setting read by a module) is thrown to
    // the caller, which says why (src/main.ts), rather than ending the process from inside Nest.
    abortOnError: false,
  });
  const logger = createLogger(app.get(Environment).LOG_LEVEL, workerNumber());
  app.useLogger(new PinoNestLogger(logger));
  await configureApp(app, logger, options);
  // On SIGTERM/SIGINT: stop accepting connections, finish the requests in flight, close the pool,
  // then exit 0 (Nest's default re-raises the signal, which ends the process "killed by SIGTERM").
  closeConnectionsOnShutdown(app.getHttpServer(), SHUTDOWN_SIGNALS);
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
  const port = app.get(Environment).PORT;
  await app.listen({ port, host: '0.0.0.0', backlog: LISTEN_BACKLOG });
  new Logger('Bootstrap').log(`Comment Desk listening on http://localhost:${port}/api (docs at /api/docs)`);
  return app;
}

/**
 * Once a shutdown signal arrives, every answer not yet sent says `Connection: close`. Node's
 * server.close() only closes the connections idle at that moment: without this, keep-alive clients
 * (a load balancer) go on sending requests over their open connections, and the drain waits for
 * them to give up.
 */
function closeConnectionsOnShutdown(server: Server, signals: string[]): void {
  const unanswered = new Set<ServerResponse>();
  let stopping = false;
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) return closeAfter(res);
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
  for (const signal of signals) {
    process.once(signal, () => {
      stopping = true;
      unanswered.forEach(closeAfter);
    });
  }
}
