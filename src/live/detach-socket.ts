import type { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

// Node's own helper for handing a socket over after an upgrade (a stable part of node:http's internals).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freeParser } = require('_http_common') as {
  freeParser(parser: unknown, req: IncomingMessage, socket: Socket): void;
};

/** The listeners node:http puts on a connection's socket, which it no longer needs once detached. */
const HTTP_SOCKET_EVENTS = ['data', 'end', 'close', 'drain', 'error', 'timeout'];
/** node:http's reading of the socket for its parser, and its wrappers of these methods, one closure each per socket. */
const PARSER_SOCKET_EVENTS = ['pause', 'resume'];
const WRAPPED_METHODS = ['on', 'addListener', 'prependListener'] as const;

/**
 * Once an event stream's headers are sent, hands its socket over from node:http to the stream,
 * as Node does for an upgraded connection: the parser goes back to its pool, and the request and
 * response objects (and the framework's and the logger's, which hang on them) can be collected.
 * Nothing kept with the socket may refer to them: a listener made here would keep this call's
 * variables, the request among them (measured: 1.5 KiB a stream more).
 */
export function detachSocket(req: IncomingMessage, res: ServerResponse, socket: Socket): void {
  const parser = (socket as Socket & { parser?: unknown }).parser;
  res.detachSocket(socket);
  for (const event of HTTP_SOCKET_EVENTS) socket.removeAllListeners(event);
  socket.setTimeout(0);
  socket.on('error', destroySocket);
  // Read (and drop) whatever the client sends, so that its going away is seen at once.
  socket.on('end', destroySocket);
  // The parser may still be inside its execute() (a handler can finish within the microtasks that
  // run between its callbacks): freed there, it would stay in the server's list of connections with
  // no socket, and the server's close() would throw on it. Freed once that call has returned.
  setImmediate(handOver, parser, req, socket);
  // For everything that waits for the HTTP exchange to end (request logs, the drain's bookkeeping).
  res.emit('close');
  req.emit('close');
}

function destroySocket(this: Socket): void {
  this.destroy();
}

function handOver(parser: unknown, req: IncomingMessage, socket: Socket): void {
  if (parser) freeParser(parser, req, socket);
  for (const event of PARSER_SOCKET_EVENTS) socket.removeAllListeners(event);
  for (const method of WRAPPED_METHODS) socket[method] = Socket.prototype[method];
  socket.resume();
}
