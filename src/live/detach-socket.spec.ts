import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { detachSocket } from './detach-socket';

/** A server whose every request becomes a detached event stream at once, within the parser's own callback. */
function streamingServer(): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    const socket = res.socket!;
    detachSocket(req, res, socket);
    socket.write('data: detached\n\n');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function readUntil(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    socket.on('data', (chunk) => {
      got += chunk.toString();
      if (got.includes(text)) resolve(got);
    });
    socket.on('error', reject);
  });
}

describe('detachSocket', () => {
  it.each([
    ['a plain GET', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a GET with a body', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'],
    ['a GET whose body is still coming', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel'],
    ['Connection: close', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ])('hands the socket over even within the parser’s callback (%s): the server still closes', async (_, bytes) => {
    const server = await streamingServer();
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const answer = readUntil(client, 'data: detached');
    client.write(bytes);
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
    // close() looks through the server's idle connections: a parser freed while it was still
    // running stayed there without a socket, and close() threw on it.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    client.destroy();
    await closed;
  });
});
