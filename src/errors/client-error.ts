import type { Duplex } from 'node:stream';

/**
 * Requests that Node's HTTP parser refuses before any route sees them (a head over 16 KB, a
 * malformed request line) get problem+json like every other error, not a bare status line.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && !socket.readable)) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({
    type: 'urn:comment-desk:problem:validation-failed',
    title: 'The request is not valid',
    status: 400,
    detail:
      error.code === 'HPE_HEADER_OVERFLOW' ? 'The request head is larger than 16 KB' : 'The request could not be read',
    code: 'VALIDATION_FAILED',
  });
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n' +
      `Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
