import { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import pino, { Logger } from 'pino';
import pinoHttp from 'pino-http';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * JSON lines on stdout (through process.stdout, so that a test can read them). `worker`: the
 * number of the worker this process is (WORKERS), on every line beside pino's pid and hostname.
 */
export function createLogger(level: string, worker?: number): Logger {
  const base = worker === undefined ? {} : { base: { pid: process.pid, hostname: hostname(), worker } };
  return pino({ level, ...base }, process.stdout);
}

/**
 * One JSON line per request with a request id (taken from X-Request-Id when sane, and sent
 * back). Only the method, path and status are logged: never headers with tokens, query strings
 * or bodies. pino-http directly rather than nestjs-pino: that one keeps an AsyncLocalStorage
 * store per request, and the promise hooks it turns on cost every request a measurable share.
 */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // A stream refused by admission is the instance shedding load as designed, not a failure; a
    // crowd brings thousands at once, so they are counted in /api/metrics rather than logged.
    customLogLevel: (req, res, error) =>
      res.statusCode === 503 && req.url?.split('?')[0].endsWith('/stream')
        ? 'silent'
        : error || res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info',
  });
}

/** Nest's start-up chatter: a line per module and per route, worth reading only when debugging. */
const START_UP_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Nest's own messages (start-up, errors) on the same JSON lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    if (context && START_UP_DETAIL.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}
