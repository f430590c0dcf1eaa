import type { Duplex } from 'node:stream';
import type { ErrorCode } from './app-error';
import { TITLES } from './problem.filter';

const STATUS_LINES: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout' };

/**
 * Requests that Node's HTTP parser refuses before any route sees them (a head over 16 KB, a
 * malformed request line, a head that took too long) get problem+json like every other error,
 * not a bare status line.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && !socket.readable)) {
    socket.destroy();
    return;
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return closeWithProblem(socket, 408, 'REQUEST_TIMEOUT', 'The request head took too long to arrive');
  const detail =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'The request head is larger than 16 KB' : 'The request could not be read';
  closeWithProblem(socket, 400, 'VALIDATION_FAILED', detail);
}

/**
 * Answers on the bare connection and closes it once the answer is out: a client that never
 * closes its side would otherwise hold the connection half open.
 */
export function closeWithProblem(socket: Duplex, status: 400 | 408, code: ErrorCode, detail: string): void {
  const body = JSON.stringify({
    type: `urn:comment-desk:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[code],
    status,
    detail,
    code,
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_LINES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
      `Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
