import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Environment } from './config/environment';
import { limitBodyShape } from './errors/body-shape';
import { answerClientErrors } from './errors/client-error';
import { createLogger, httpLogger } from './logging/logging';

export const BODY_LIMIT = '1mb';

/** Everything about the HTTP edge that tests must share with the real server. */
export function configureApp(app: INestApplication, logger = createLogger(app.get(Environment).LOG_LEVEL)): void {
  const express = app as NestExpressApplication;
  express.use(httpLogger(logger));
  express.setGlobalPrefix('api');
  express.disable('x-powered-by');
  express.set('etag', false);
  // First, so that even the answers to unreadable bodies carry the headers. The docs page needs
  // inline scripts and styles; the JSON API needs none of that.
  express.use(helmet({ contentSecurityPolicy: false }));
  express.useBodyParser('json', { limit: BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] });
  express.use(limitBodyShape);
  answerClientErrors(express.getHttpServer());
  const origins = (app.get(Environment).CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) {
    express.enableCors({
      origin: origins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      maxAge: 600,
    });
  }

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Comment Desk')
      .setDescription(
        'Comment threads and their moderation for news publishers. Errors are RFC 9457 problem+json with a stable `code`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
