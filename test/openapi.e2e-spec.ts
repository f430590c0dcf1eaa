import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createTestDatabase, TEST_JWT_SECRET } from './support/test-app';

const ROOT = join(__dirname, '..');
const COMMITTED = join(ROOT, 'docs', 'openapi.json');

/**
 * The built application (dist/, which global-setup keeps fresh): its document carries what the
 * Nest CLI's plugin adds at build time (descriptions from comments, DTO properties), as served.
 */
async function builtApp(): Promise<NestFastifyApplication> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AppModule } = require(join(ROOT, 'dist', 'src', 'app.module'));
  const { configureApp, createHttpAdapter } = require(join(ROOT, 'dist', 'src', 'app.setup'));
  const { validateEnvironment } = require(join(ROOT, 'dist', 'src', 'config', 'environment'));
  Object.assign(process.env, {
    DATABASE_URL: await createTestDatabase(),
    JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'silent',
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createHttpAdapter(validateEnvironment(process.env)),
    {
      bodyParser: false,
      logger: ['error'],
    },
  );
  await configureApp(app);
  await app.init();
  return app;
}

/**
 * docs/openapi.json is the contract that clients (the console's generated client among them) are
 * built from: it must be what the code serves, and lint clean. `npm run generate` rewrites it.
 */
describe('the OpenAPI document (e2e)', () => {
  let app: NestFastifyApplication;
  let served: string;

  beforeAll(async () => {
    app = await builtApp();
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' });
    expect(res.statusCode).toBe(200);
    served = `${JSON.stringify(res.json(), null, 2)}\n`;
    if (process.env.UPDATE_GENERATED === '1') {
      mkdirSync(join(COMMITTED, '..'), { recursive: true });
      writeFileSync(COMMITTED, served);
    }
  });
  afterAll(() => app.close());

  it('is committed as the code serves it (`npm run generate` rewrites docs/openapi.json)', () => {
    expect(existsSync(COMMITTED)).toBe(true);
    try {
      expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(JSON.parse(served));
    } catch (error) {
      (error as Error).message = `docs/openapi.json is stale: run \`npm run generate\`.\n\n${(error as Error).message}`;
      throw error;
    }
  });

  it("passes Redocly's recommended rules without an error or a warning", () => {
    // @redocly/openapi-core is ESM-only: it runs in a process of its own.
    const output = execFileSync(process.execPath, [join(__dirname, 'support', 'lint-openapi.mjs'), COMMITTED], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual([]);
  });

  it('says that the Idempotency-Key header of a post is optional, once', () => {
    const post = JSON.parse(served).paths['/api/articles/{id}/comments'].post;
    const headers = post.parameters.filter((p: { in: string }) => p.in === 'header');
    expect(headers).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: false })]);
  });

  it('lists the problem+json answers of every operation', () => {
    const { paths } = JSON.parse(served) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const problems = Object.entries(operation.responses).filter(([, r]) => r.content?.['application/problem+json']);
        expect({ operation: `${method} ${path}`, has4xx: problems.some(([status]) => status.startsWith('4')) }).toEqual(
          {
            operation: `${method} ${path}`,
            has4xx: true,
          },
        );
      }
    }
  });
});
