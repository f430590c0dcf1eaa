import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedPostgres } from './database/embedded-postgres';

export const DATA_DIR = resolve(process.env.DATA_DIR ?? '.data');
export const DEV_SECRET_FILE = join(DATA_DIR, 'jwt-secret');
/** Where the demo's other sites keep their logins' secrets (npm run token -- --site KEY reads them). */
export const devSiteSecretFile = (key: string): string => join(DATA_DIR, `jwt-secret-${key}`);

/**
 * `npm start`: the production bootstrap, plus what a developer's machine lacks. Without
 * DATABASE_URL it starts an embedded PostgreSQL with its data under .data/; without JWT_SECRET
 * it makes a dev secret under .data/ (which `npm run token` also reads). One process, whatever
 * WORKERS says: the embedded PostgreSQL and the demo belong to it (WORKERS is for start:prod).
 */
async function main(): Promise<void> {
  const logger = new Logger('Dev');
  mkdirSync(DATA_DIR, { recursive: true });
  const usesDevSecret = !process.env.JWT_SECRET && !process.env.JWT_PUBLIC_KEY;
  if (usesDevSecret) {
    if (!existsSync(DEV_SECRET_FILE))
      writeFileSync(DEV_SECRET_FILE, randomBytes(32).toString('base64url'), { mode: 0o600 });
    process.env.JWT_SECRET = readFileSync(DEV_SECRET_FILE, 'utf8').trim();
    logger.warn(
      `JWT_SECRET is not set: using a development secret kept in ${DEV_SECRET_FILE}. Never do this in production.`,
    );
  }
  if (process.env.WORKERS && process.env.WORKERS !== '1')
    logger.warn(`WORKERS=${process.env.WORKERS} is for npm run start:prod: npm start runs one process.`);
  if (!process.env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres(DATA_DIR);
    process.env.DATABASE_URL = pg.url;
    logger.log(
      `DATABASE_URL is not set: started an embedded PostgreSQL on port ${pg.port} (data in ${join(DATA_DIR, 'pg')})`,
    );
  }
  if (!process.env.SMTP_URL && !process.env.MAIL_CATCHER) {
    process.env.MAIL_CATCHER = 'on';
    logger.log('SMTP_URL is not set: emails are kept, not sent, and admins read them in the console (Emails)');
  }
  // Loaded only now: the application reads the environment set above.
  const { bootstrap } = require('./bootstrap') as typeof import('./bootstrap');
  const app = await bootstrap({ homePage: true });
  const { Environment } = require('./config/environment') as typeof import('./config/environment');
  const env = app.get(Environment);
  const base = `http://localhost:${env.PORT}`;
  let secondSite = false;
  if (process.env.JWT_SECRET && !process.env.JWT_PUBLIC_KEY) {
    const demo = require('./web/demo-articles') as typeof import('./web/demo-articles');
    const { ensureDemoSite, EVENING_POST } = require('./web/demo-sites') as typeof import('./web/demo-sites');
    const evening = await ensureDemoSite(app, EVENING_POST, base, devSiteSecretFile(EVENING_POST.key)).catch(
      (error: Error) => void logger.warn(`The demo's second site could not be made: ${error.message}`),
    );
    await demo.ensureDemoArticles(
      `http://127.0.0.1:${env.PORT}`,
      process.env.JWT_SECRET,
      env.DEMO_COMMENTS === 'on',
      { origin: base, moveArticle: demo.demoArticleMover(app) },
      evening ? { [EVENING_POST.key]: evening } : {},
    );
    secondSite = !!evening;
  }
  console.log(banner(base, usesDevSecret, secondSite));
}

/** What someone who just ran `npm start` needs next, after the JSON log lines. */
function banner(base: string, devSecret: boolean, secondSite: boolean): string {
  const evening = secondSite
    ? [
        `  The Evening Post, the demo's second site, signs its readers in with its own secret (${relative(process.cwd(), devSiteSecretFile('evening'))}):`,
        '    npm run token -- --site evening --sub maya --name Maya',
        `    then sign in on ${base}/demo/evening.html`,
      ]
    : [];
  return [
    '',
    `  Comment Desk is running at ${base}/`,
    '',
    `  API           ${base}/api`,
    `  API docs      ${base}/api/docs`,
    `  Console       ${base}/desk/`,
    `  Demo pages    ${base}/demo/  and  ${base}/demo/closed.html`,
    ...(secondSite ? [`                ${base}/demo/evening.html  (a second site, The Evening Post)`] : []),
    '',
    devSecret
      ? `  Tokens (signed with the development secret in ${relative(process.cwd(), DEV_SECRET_FILE)}):`
      : '  Tokens are signed by your JWT_SECRET; for local testing:',
    '    npm run token -- --sub mona --name Mona --role moderator',
    `    then open ${base}/desk/#token=<the token>`,
    ...evening,
    '',
  ].join('\n');
}

main().catch((error: Error) => {
  console.error(error?.message ?? error);
  process.exit(1);
});
