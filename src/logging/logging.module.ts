import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * One JSON line per request with a request id (taken from X-Request-Id when sane). Only the
 * method, path and status are logged: never headers with tokens, query strings or bodies.
 */
export const LoggingModule = LoggerModule.forRootAsync({
  inject: [Environment],
  useFactory: (env: Environment) => ({
    pinoHttp: [
      {
      level: env.LOG_LEVEL,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: { statusCode: number }, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
      process.stdout,
    ],
  }),
});
