import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp, createHttpAdapter } from '../../src/app.setup';
import { checkAnswersAgainstDocument } from './contract-recorder';
import { validateEnvironment } from '../../src/config/environment';
import { databaseUrl } from './database-url';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough';
export type Role = 'commenter' | 'moderator' | 'admin';

export interface TestApp {
  app: NestFastifyApplication;
  /** The routes the app serves, as "METHOD /path", HEAD routes left out. */
  routes: string[];
  http: () => ReturnType<typeof request>;
  /** A direct connection to this file's database, for recounts and setting up states. */
  db: Client;
  databaseUrl: string;
  token(sub: string, role?: Role, extra?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** A fresh database copied from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const server = process.env.TEST_SERVER_URL!;
  const name = `comment_desk_${process.env.TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_TEMPLATE_DB}`);
  await admin.end();
  return databaseUrl(server, name);
}

export function signToken(sub: string, role: Role = 'commenter', extra: Record<string, unknown> = {}): string {
  return jwt.sign({ sub, role, name: `${sub} name`, ...extra }, TEST_JWT_SECRET, {
    algorithm: 'HS256',
    expiresIn: '1h',
  });
}

/**
 * The whole application, as `npm start` builds it, on its own database (or on `databaseUrl`,
 * to run a second instance beside the first).
 */
export async function createTestApp(env: Record<string, string> = {}, databaseUrl?: string): Promise<TestApp> {
  const url = databaseUrl ?? (await createTestDatabase());
  Object.assign(process.env, {
    DATABASE_URL: url,
    JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createHttpAdapter(validateEnvironment(process.env)),
    {
      bodyParser: false,
      logger: ['error'],
    },
  );
  const routes: string[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
    });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  checkAnswersAgainstDocument(app.getHttpServer());
  const db = new Client({ connectionString: url });
  await db.connect();
  return {
    app,
    db,
    databaseUrl: url,
    routes,
    http: () => request(app.getHttpServer()),
    token: signToken,
    close: async () => {
      await db.end();
      await app.close();
    },
  };
}
