import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { Environment, validateEnvironment } from './config/environment';

/** Starts the service on PORT; DATABASE_URL and JWT_SECRET (or JWT_PUBLIC_KEY) must be set. */
export async function bootstrap(): Promise<NestExpressApplication> {
  validateEnvironment(process.env); // fail with the names of bad variables, before anything starts
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  configureApp(app);
  app.enableShutdownHooks();
  const port = app.get(Environment).PORT;
  await app.listen(port);
  new Logger('Bootstrap').log(`Comment Desk listening on http://localhost:${port}/api (docs at /api/docs)`);
  return app;
}

if (require.main === module) {
  bootstrap().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
