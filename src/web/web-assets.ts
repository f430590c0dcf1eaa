import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EmbedScript } from './embed-script';
import { HOME_PAGE } from './home-page';

/** The checkout (or image) root: above src/ when run by ts-jest, above dist/src/ when compiled. */
function projectRoot(): string {
  const candidates = [resolve(__dirname, '../..'), resolve(__dirname, '../../..')];
  return candidates.find((dir) => existsSync(join(dir, 'package.json'))) ?? process.cwd();
}

export const EMBED_DIR = join(projectRoot(), 'dist', 'embed');
export const DEMO_DIR = join(projectRoot(), 'web', 'demo');
export const DESK_DIR = join(projectRoot(), 'dist', 'desk');
const FAVICON = join(projectRoot(), 'web', 'favicon.svg');

/**
 * The demo pages hold no inline script or style: they run under the strict policy that a careful
 * publisher would set, so that the embed is proven to work under it.
 */
export const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebAssetOptions {
  /** The publisher's login page, for the console's "Sign in". */
  deskLoginUrl?: string;
  /** `GET /` answers a page of links to the console, the demo and the docs (npm start). */
  homePage?: boolean;
}

/**
 * `GET /embed.js` (the built embed, loaded by publishers' pages from their own origins),
 * `GET /demo/*` (the demo news pages) and `GET /desk/*` (the moderators' console). Registered
 * outside the API: no guard, no /api prefix.
 */
export async function serveWebAssets(fastify: FastifyInstance, options: WebAssetOptions = {}): Promise<void> {
  const embed = new EmbedScript(EMBED_DIR);
  if (embed.exists()) fastify.get('/embed.js', (request, reply) => embed.serve(request, reply));
  if (existsSync(DEMO_DIR)) {
    await fastify.register(fastifyStatic, {
      root: DEMO_DIR,
      prefix: '/demo/',
      decorateReply: false,
      setHeaders: pageHeaders,
    });
    serveIndex(fastify, '/demo', DEMO_DIR);
  }
  if (existsSync(join(DESK_DIR, 'index.html'))) await serveDesk(fastify, options);
  if (existsSync(FAVICON)) serveFavicon(fastify);
  if (options.homePage)
    fastify.get('/', (_request, reply) => {
      pageHeaders(reply).type('text/html; charset=utf-8').send(HOME_PAGE);
    });
}

/** One icon for the console, the demo pages and browsers that ask for /favicon.ico anyway. */
function serveFavicon(fastify: FastifyInstance): void {
  const icon = readFileSync(FAVICON);
  fastify.get('/favicon.svg', (_request, reply) => {
    reply.header('Cache-Control', 'public, max-age=86400').type('image/svg+xml').send(icon);
  });
  fastify.get('/favicon.ico', (_request, reply) => {
    reply.header('Cache-Control', 'public, max-age=86400').redirect('/favicon.svg', 301);
  });
}

/**
 * The console: index.html revalidated on every load, its fingerprinted assets cached for good.
 * The same strict policy as the demo pages: the console runs no inline script and calls only its own origin.
 */
async function serveDesk(fastify: FastifyInstance, options: WebAssetOptions): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: DESK_DIR,
    prefix: '/desk/',
    decorateReply: false,
    index: false,
    wildcard: false,
    preCompressed: true,
    globIgnore: ['**/*.br', '**/*.gz'],
    setHeaders: (reply: FastifyReply, path: string) => {
      if (path.includes('/assets/')) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      else pageHeaders(reply);
    },
  });
  // Tells the console where "Sign in" goes; read at start, so no build bakes it in.
  fastify.get('/desk/config.json', (_request, reply) => {
    reply.header('Cache-Control', 'no-cache').send({ loginUrl: options.deskLoginUrl ?? null });
  });
  // Read once: a build beside the running service replaces index.html, and this service's copy
  // must go on naming the assets it serves (the build keeps those for a while).
  const index = readFileSync(join(DESK_DIR, 'index.html'));
  fastify.get('/desk', (_request, reply) => {
    pageHeaders(reply)
      // A site's provider signs moderators in in a window the console opens: helmet's same-origin
      // would cut that window off as soon as it reaches the provider, and the console could not
      // tell a window still signing in from one the moderator closed.
      .header('Cross-Origin-Opener-Policy', 'same-origin-allow-popups')
      .type('text/html; charset=utf-8')
      .send(index);
  });
}

/** Pages: under the strict policy, revalidated on every load. */
const pageHeaders = (reply: FastifyReply) =>
  reply.header('Content-Security-Policy', DEMO_CSP).header('Cache-Control', 'no-cache');

/** The router ignores trailing slashes, so `/demo/` arrives at `/demo` rather than at the folder's index. */
function serveIndex(fastify: FastifyInstance, path: string, dir: string): void {
  fastify.get(path, (_request, reply) => {
    pageHeaders(reply)
      .type('text/html; charset=utf-8')
      .send(createReadStream(join(dir, 'index.html')));
  });
}
