import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Environment } from '../config/environment';
import { isUpload } from './body-reading';
import { closeWithProblem } from './client-error';

/** An upload may take as long as it needs, as long as each period of the body timeout brings this much. */
export const UPLOAD_BYTES_PER_PERIOD = 16 * 1024;

type Timeouts = Pick<Environment, 'REQUEST_HEADERS_TIMEOUT_SECONDS' | 'REQUEST_BODY_TIMEOUT_SECONDS'>;

/**
 * Node's server bounds the time to receive a request's head, checking a tenth of it at a time.
 * Its requestTimeout (the whole request) stays off: it would cut a slow but steady upload, and
 * limitBodyTime bounds the bodies. Neither counts once a request is in: an event stream's GET is
 * in with its head, and its answer lasts as long as it needs.
 */
export function serverTimeouts(env: Timeouts): ServerOptions {
  const headersTimeout = env.REQUEST_HEADERS_TIMEOUT_SECONDS * 1000;
  return { headersTimeout, requestTimeout: 0, connectionsCheckingInterval: Math.max(100, headersTimeout / 10) };
}

/**
 * A body must be in within REQUEST_BODY_TIMEOUT_SECONDS of its head, or the connection is
 * answered 408 and closed (only closed, if an answer was already sent). An import's upload has as
 * many such periods as it needs while each brings UPLOAD_BYTES_PER_PERIOD: a body that stalls, or
 * trickles in a byte at a time, holds no connection for long.
 */
export function limitBodyTime(fastify: FastifyInstance, env: Timeouts): void {
  const periodMs = env.REQUEST_BODY_TIMEOUT_SECONDS * 1000;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (hasBody(request.raw)) watchBody(request.raw, reply.raw, periodMs, isUpload(request));
    done();
  });
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;

function watchBody(req: IncomingMessage, res: ServerResponse, periodMs: number, upload: boolean): void {
  const socket = req.socket;
  let readBefore = socket.bytesRead;
  const check = () => {
    if (req.complete || socket.destroyed) return;
    if (upload && socket.bytesRead - readBefore >= UPLOAD_BYTES_PER_PERIOD) {
      readBefore = socket.bytesRead;
      timer = setTimeout(check, periodMs).unref();
      return;
    }
    if (!res.headersSent)
      closeWithProblem(socket, 408, 'REQUEST_TIMEOUT', `The request body did not arrive within ${periodMs / 1000} s`);
    else socket.destroy();
  };
  let timer = setTimeout(check, periodMs).unref();
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  req.once('close', stop);
}
