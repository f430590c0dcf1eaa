import helmet from '@fastify/helmet';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Environment, trustProxy } from './config/environment';
import { answerClientError } from './errors/client-error';
import { BODY_LIMIT, readBodies } from './errors/body-reading';
import { answerRouterError } from './errors/problem.filter';
import { limitBodyTime, serverTimeouts } from './errors/request-timeouts';
import { discardUnreadBodies } from './errors/unread-bodies';
import { createLogger, httpLogger } from './logging/logging';
import { refusedOriginLog } from './logging/refused-origins';
import { createOpenApiDocument } from './openapi/openapi-document';
import { SiteOrigins } from './sites/site-origins';
import { serveWebAssets } from './web/web-assets';

/** The HTTP server: Fastify, as tests and the real server both build it. */
export function createHttpAdapter(
  env: Pick<Environment, 'TRUST_PROXY' | 'REQUEST_HEADERS_TIMEOUT_SECONDS' | 'REQUEST_BODY_TIMEOUT_SECONDS'>,
): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: trustProxy(env.TRUST_PROXY),
    http: serverTimeouts(env),
    bodyLimit: BODY_LIMIT,
    // Node's parser refuses some requests before any route sees them; they get problem+json too.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerRouterError,
    // While draining, requests already on open connections are served, told `Connection: close`
    // (main.ts), rather than refused with Fastify's own 503 body.
    return503OnClosing: false,
    // Users' ids (the publisher's `sub`) are up to 200 characters, past Fastify's default of 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  });
}

/** Everything about the HTTP edge that tests must share with the real server. */
export async function configureApp(
  app: NestFastifyApplication,
  logger = createLogger(app.get(Environment).LOG_LEVEL),
  options: { homePage?: boolean } = {},
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const logRequest = httpLogger(logger);
  fastify.addHook('onRequest', (request, reply, done) => {
    logRequest(request.raw, reply.raw);
    done();
  });
  // Every answer carries the headers, errors included. The docs page needs inline scripts and
  // styles; the JSON API needs none of that.
  await app.register(helmet, { contentSecurityPolicy: false });
  fastify.decorateRequest('user', undefined);
  readBodies(fastify);
  limitBodyTime(fastify, app.get(Environment));
  discardUnreadBodies(fastify);
  await serveWebAssets(fastify, { deskLoginUrl: app.get(Environment).DESK_LOGIN_URL, homePage: options.homePage });
  app.setGlobalPrefix('api');
  // Every site's origins (stored, and CORS_ORIGINS for the first site), read as sites change.
  const siteOrigins = app.get(SiteOrigins);
  const logRefusal = refusedOriginLog(siteOrigins.environment, logger);
  fastify.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !(await siteOrigins.anySiteAllows(origin))) logRefusal(origin, request.host);
  });
  app.enableCors({
    origin: (origin: string | undefined, answer: (error: Error | null, allow: boolean) => void) => {
      if (origin === undefined) return answer(null, false);
      siteOrigins.anySiteAllows(origin).then(
        (allowed) => answer(null, allowed),
        () => answer(null, false),
      );
    },
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // If-None-Match: the embed revalidates thread pages; Last-Event-ID: EventSource resumes a stream;
    // Comment-Desk-Site: the site whose login signed the token.
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Idempotency-Key',
      'If-None-Match',
      'Last-Event-ID',
      'Comment-Desk-Site',
    ],
    exposedHeaders: ['ETag', 'Retry-After'],
    maxAge: 600,
  });

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
