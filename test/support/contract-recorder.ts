import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { Answer, OpenApiContract } from './openapi-contract';

/** Bodies longer than this are not kept (their status and content type are still checked). */
const KEPT_BYTES = 4 * 1024 * 1024;

interface Record {
  contract?: OpenApiContract;
  checked: number;
  mismatches: string[];
}

// On globalThis: the test file and jest's setup file must see the same record.
const record: Record = ((globalThis as { openApiContractRecord?: Record }).openApiContractRecord ??= {
  checked: 0,
  mismatches: [],
});

/** The check is on unless OPENAPI_CHECK=off (for a run that wants to see a service answer the document does not). */
export const contractCheckOn = () => process.env.OPENAPI_CHECK !== 'off';

/**
 * Checks every answer that this server gives under /api/ against docs/openapi.json, as a validating
 * proxy would: at the socket, after the service has done everything it does, whoever sent the
 * request (supertest, fetch, the console in a browser). What does not match is kept for
 * `takeMismatches()`, which jest's setup (test/support/contract-setup.ts) calls after every test.
 */
export function checkAnswersAgainstDocument(server: Server): void {
  if (!contractCheckOn()) return;
  record.contract ??= new OpenApiContract();
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/api/') || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    captureAnswer(req, res, (answer) => {
      const found = record.contract!.check(answer);
      if (!found) return;
      record.checked++;
      if (found.length > 0) {
        record.mismatches.push(`${answer.method} ${answer.url} answered ${answer.status}: ${found.join('; ')}`);
      }
    });
  });
}

/** The mismatches seen since the last call, and how many answers were checked in all. */
export function takeMismatches(): string[] {
  return record.mismatches.splice(0);
}

export const answersChecked = () => record.checked;

function captureAnswer(req: IncomingMessage, res: ServerResponse, done: (answer: Answer) => void): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  let complete = true;
  let contentType: string | undefined;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    if (kept + bytes.length > KEPT_BYTES) complete = false;
    else {
      chunks.push(bytes);
      kept += bytes.length;
    }
  };
  const { write, end, writeHead } = res;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as typeof res.end;
  // Fastify hands its headers to writeHead, where getHeader() does not see them.
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find(
      (a): a is OutgoingHttpHeaders => typeof a === 'object' && a !== null && !Array.isArray(a),
    );
    const given = headers && Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    if (given !== undefined) contentType = String(given);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  // 'close' also comes when the client left first (an event stream): the body is then partial.
  // With no head sent, no answer went through this response (the socket was closed, or answered
  // a timeout's 408 itself): there is nothing to check.
  res.once('close', () => {
    if (!res.headersSent) return;
    done({
      method: req.method!,
      url: req.url!,
      status: res.statusCode,
      contentType: contentType ?? (res.getHeader('content-type') as string | undefined),
      body: Buffer.concat(chunks),
      complete: complete && res.writableFinished,
    });
  });
}
