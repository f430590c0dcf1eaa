import type { FastifyInstance } from 'fastify';

/** What is read and dropped of a body after its answer (a 413, a 401 to an upload) before the connection is closed. */
export const DISCARD_LIMIT = 64 * 1024 * 1024;

/**
 * A body that gets its answer before it is all in (too large, refused) is read and dropped, and
 * the connection kept, rather than closed at once as Fastify does: a client still sending
 * (Node's fetch, a chunked upload) would then get a reset instead of the answer. Dropping stops
 * at DISCARD_LIMIT, and at the body timeout (request-timeouts.ts), where the connection is closed.
 */
export function discardUnreadBodies(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const req = request.raw;
    if (!req.complete) {
      if (reply.getHeader('connection') === 'close' && !reply.raw.hasHeader('connection'))
        reply.removeHeader('connection');
      const socket = req.socket;
      const limit = socket.bytesRead + DISCARD_LIMIT;
      const onData = () => {
        if (req.complete) socket.off('data', onData);
        else if (socket.bytesRead > limit) socket.destroy();
      };
      socket.on('data', onData);
    }
    done(null, payload);
  });
}
