#!/usr/bin/env node
// Prints a token the local server accepts: for the first site signed with JWT_SECRET or the dev
// secret under .data/; for another site (--site), with that site's first HS256 secret, read from
// its database (DATABASE_URL, or the embedded one of `npm start`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The first site's key: made by the migration, and a key never changes. */
const FIRST_SITE = 'default';

const USAGE = `Usage: npm run token -- --sub <user id> [--name "Display Name"] [--role commenter|moderator|admin] [--expires 12h] [--site <key>]
  Prints a token that the local service accepts. For the first site (no --site, or --site default),
  signed with JWT_SECRET or the development secret that npm start keeps under .data/; for another
  site, with that site's first HS256 secret, read from the database (DATABASE_URL, else npm start's).
  For the console: open http://localhost:3000/desk/#token=<token>.
  A token of another site goes with its key in the Comment-Desk-Site header:
    curl -H "Authorization: Bearer <token>" -H "Comment-Desk-Site: <key>" http://localhost:3000/api/me`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'commenter' },
      expires: { type: 'string', default: '12h' },
      site: { type: 'string', default: FIRST_SITE },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.sub) {
  console.error(USAGE);
  process.exit(2);
}
if (!['commenter', 'moderator', 'admin'].includes(values.role)) {
  console.error('--role must be commenter, moderator or admin');
  process.exit(2);
}
if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(values.site)) {
  console.error('--site must be a site key (a-z, 0-9, -)');
  process.exit(2);
}

const { secret, issuer, audience } = values.site === FIRST_SITE ? firstSiteKey() : await siteKey(values.site);
const claims = { sub: values.sub, role: values.role, ...(values.name ? { name: values.name } : {}) };
const options = {
  algorithm: 'HS256',
  expiresIn: values.expires,
  ...(issuer ? { issuer } : {}),
  ...(audience ? { audience } : {}),
};
console.log(jwt.sign(claims, secret, options));
if (values.site !== FIRST_SITE) console.error(`Send it with the header "Comment-Desk-Site: ${values.site}".`);

/** The environment's key, as the service reads it for the first site. */
function firstSiteKey() {
  const secretFile = resolve(process.env.DATA_DIR ?? '.data', 'jwt-secret');
  const secret =
    process.env.JWT_SECRET ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
  if (!secret) {
    console.error(
      `No JWT_SECRET set and no dev secret at ${secretFile}: run "npm start" once first, or set JWT_SECRET.`,
    );
    process.exit(1);
  }
  return { secret, issuer: process.env.JWT_ISSUER, audience: process.env.JWT_AUDIENCE };
}

/** The site's first HS256 secret (the one its tokens are signed with), and the issuer and audience it requires. */
async function siteKey(key) {
  const database = await openDatabase();
  let row;
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      ({
        rows: [row],
      } = await client.query('SELECT id, identity FROM sites WHERE key = $1', [key]));
    } finally {
      await client.end();
    }
  } catch (error) {
    fail(`Could not read the site "${key}" from the database: ${error.message}`);
  } finally {
    await database.stop();
  }
  if (!row) fail(`No site has the key "${key}".`);
  if (row.id === 1) return firstSiteKey();
  const identity = row.identity ?? {};
  const secret = identity.secrets?.[0];
  if (!secret)
    fail(
      `The site "${key}" has no HS256 secret to sign with: its tokens come from its own login. Give it one in the console (identity.secrets) to make test tokens.`,
    );
  return { secret, issuer: identity.issuer, audience: identity.audience };
}

/** DATABASE_URL, else the embedded database of `npm start` (the running one, or started for this run). */
async function openDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const built = join(ROOT, 'dist', 'src', 'database', 'dev-database.js');
  if (!existsSync(built)) {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'server'], { stdio: 'inherit' });
    if (build.status !== 0) fail('The server could not be built to reach the development database; set DATABASE_URL.');
  }
  const { devDatabase } = (await import(pathToFileURL(built).href)).default;
  return devDatabase();
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
