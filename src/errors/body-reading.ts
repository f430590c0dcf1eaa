import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from './app-error';

export const BODY_LIMIT = 1024 * 1024;
const MAX_DEPTH = 32;
const MAX_NODES = 50_000;

/** application/json and its structured-syntax relatives (merge-patch+json, vnd.api+json), any parameters. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** The export files of imports: streamed to their route, refused on every other one. */
const UPLOAD_TYPE = /^(?:application\/(?:xml|x-ndjson|octet-stream)|text\/xml)\s*(?:;|$)/i;
export const UPLOAD_ROUTES = new Set(['POST /api/admin/imports']);

/**
 * Forms posted to us, on FORM_ROUTES only: mail clients' one-click unsubscribe (RFC 8058: its body
 * is not read), and a page of this service posting without script (sign-in by email's link).
 */
const FORM_TYPE = /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i;
export const FORM_ROUTES = new Set(['POST /api/notifications/unsubscribe', 'POST /api/sites/:key/email-sign-in/link']);
const FORM_LIMIT = 4 * 1024;

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * How request bodies are read: JSON only (but for the uploads of UPLOAD_ROUTES, streamed as they come), objects only (an empty body is no body),
 * decoded from gzip, deflate or br with the 1 MB limit counted on the decoded bytes (a small
 * bomb is refused with 413), and refused when nested deeper or larger than any request needs.
 */
export function readBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(jsonRefusal(body as string), undefined);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
        return done(AppError.validation(`The body must be a JSON object, not ${what}`), undefined);
      }
      done(null, value);
    });
  });
  // An upload that is JSON (Commento's export) is a file to stream like the others, not a body to parse.
  fastify.addHook('onRequest', async (request) => {
    if (isUpload(request) && JSON_TYPE.test(request.headers['content-type'] ?? ''))
      request.headers['content-type'] = 'application/octet-stream';
  });
  fastify.addContentTypeParser(UPLOAD_TYPE, (request, payload, done) => {
    if (isUpload(request)) return done(null, payload);
    // What Fastify answers for a type it has no parser for.
    done(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), undefined);
  });
  fastify.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: FORM_LIMIT }, (request, body, done) => {
    if (!FORM_ROUTES.has(`${request.method} ${request.routeOptions.url}`))
      return done(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), undefined);
    const urlencoded = /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');
    done(null, urlencoded ? Object.fromEntries(new URLSearchParams(body as string)) : {});
  });
  fastify.addHook('preParsing', decodeBody);
  fastify.addHook('preValidation', limitBodyShape);
}

export const isUpload = (request: FastifyRequest) => UPLOAD_ROUTES.has(`${request.method} ${request.routeOptions.url}`);

async function decodeBody(request: FastifyRequest, _reply: FastifyReply, payload: Readable) {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length']) > 0;
  if (!encoding || encoding === 'identity' || !hasBody) return payload;
  const decoder = DECODERS[encoding];
  if (!decoder) throw AppError.validation(`The Content-Encoding "${encoding.slice(0, 40)}" is not supported`);
  const decoded = decoder() as NodeJS.ReadWriteStream & { receivedEncodedLength: number };
  // Fastify checks Content-Length against the bytes received, not the decoded ones.
  decoded.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => (decoded.receivedEncodedLength += chunk.length));
  // Registered before Fastify's own listener: a body that does not decode is the client's error.
  decoded.on('error', (error: Error & { statusCode?: number }) => (error.statusCode = 400));
  return payload.pipe(decoded);
}

/**
 * The validation layer recurses through bodies: a few KB of brackets would exhaust its stack,
 * and a few hundred thousand array items would hold the event loop for seconds.
 */
async function limitBodyShape(request: FastifyRequest): Promise<void> {
  const body: unknown = request.body;
  if (body === null || typeof body !== 'object' || body instanceof Readable) return;
  const pending: [unknown, number][] = [[body, 1]];
  let nodes = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (++nodes > MAX_NODES) throw AppError.validation(`The body has more than ${MAX_NODES} values`);
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) throw AppError.validation(`The body is nested deeper than ${MAX_DEPTH} levels`);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
}

/**
 * Why a JSON body was refused: where its syntax breaks, or the keys that the parser refuses
 * although the JSON is valid (they would reach objects' prototypes).
 */
function jsonRefusal(body: string): AppError {
  try {
    JSON.parse(body);
    return AppError.validation('The body must not have "__proto__" or "constructor": {"prototype": …} keys');
  } catch (error) {
    const message = String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const token = /Unexpected token '(.)'/.exec(message)?.[1];
    let where = '';
    if (/Unexpected end/.test(message)) where = ': it ends too early';
    else if (position !== undefined) where = `: see character ${Number(position) + 1}`;
    else if (token !== undefined) where = `: ${JSON.stringify(token)} is unexpected`;
    return AppError.validation(`The body is not valid JSON${where}`);
  }
}
