#!/usr/bin/env node
// Prints a token the local server accepts: signed with JWT_SECRET, or the dev secret under .data/;
// with --site KEY, by the demo's other site whose secret npm start keeps under .data/.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';

const USAGE = `Usage: npm run token -- --sub <user id> [--name "Display Name"] [--role commenter|moderator|admin] [--expires 12h] [--site <key>]
  Prints a token that the local service accepts, signed with JWT_SECRET or the development secret
  that npm start keeps under .data/. For the console: open http://localhost:3000/desk/#token=<token>.
  --site evening: a token of the demo's second site, The Evening Post, signed with its own secret
  (.data/jwt-secret-evening, made by npm start), for its page /demo/evening.html.`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'commenter' },
      expires: { type: 'string', default: '12h' },
      site: { type: 'string' },
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
const otherSite = values.site && values.site !== 'default' ? values.site : null;
if (otherSite && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(otherSite)) {
  console.error('--site must be a site key (a-z, 0-9, -)');
  process.exit(2);
}
const secretFile = resolve(process.env.DATA_DIR ?? '.data', otherSite ? `jwt-secret-${otherSite}` : 'jwt-secret');
const fileSecret = existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined;
// Another site's login is its own: JWT_SECRET is the first site's only.
const secret = otherSite ? fileSecret : (process.env.JWT_SECRET ?? fileSecret);
if (!secret) {
  console.error(
    otherSite
      ? `No secret for the site ${otherSite} at ${secretFile}: npm start makes it for the demo's site "evening".`
      : `No JWT_SECRET set and no dev secret at ${secretFile}: run "npm start" once first, or set JWT_SECRET.`,
  );
  process.exit(1);
}
const claims = { sub: values.sub, role: values.role, ...(values.name ? { name: values.name } : {}) };
const options = {
  algorithm: 'HS256',
  expiresIn: values.expires,
  ...(!otherSite && process.env.JWT_ISSUER ? { issuer: process.env.JWT_ISSUER } : {}),
  ...(!otherSite && process.env.JWT_AUDIENCE ? { audience: process.env.JWT_AUDIENCE } : {}),
};
console.log(jwt.sign(claims, secret, options));
