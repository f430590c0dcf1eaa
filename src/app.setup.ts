import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const BODY_LIMIT = '1mb';

/** Everything about the HTTP edge that tests must share with the real server. */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.setGlobalPrefix('api');
  express.useBodyParser('json', { limit: BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] });
  express.disable('x-powered-by');
  express.set('etag', false);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Comment Desk')
      .setDescription('Comment threads and their moderation for news publishers. Errors are RFC 9457 problem+json with a stable `code`.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
