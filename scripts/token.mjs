#!/usr/bin/env node
// Prints a token the local server accepts: signed with JWT_SECRET, or the dev secret under .data/.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';

const USAGE = `Usage: npm run token -- --sub <user id> [--name "Display Name"] [--role commenter|moderator|admin] [--expires 12h]
  Prints a token that the local service accepts, signed with JWT_SECRET or the development secret
  that npm start keeps under .data/. For the console: open http://localhost:3000/desk/#token=<token>.`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'commenter' },
      expires: { type: 'string', default: '12h' },
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
const secretFile = resolve(process.env.DATA_DIR ?? '.data', 'jwt-secret');
const secret = process.env.JWT_SECRET ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
if (!secret) {
  console.error(`No JWT_SECRET set and no dev secret at ${secretFile}: run "npm start" once first, or set JWT_SECRET.`);
  process.exit(1);
}
const claims = { sub: values.sub, role: values.role, ...(values.name ? { name: values.name } : {}) };
const options = {
  algorithm: 'HS256',
  expiresIn: values.expires,
  ...(process.env.JWT_ISSUER ? { issuer: process.env.JWT_ISSUER } : {}),
  ...(process.env.JWT_AUDIENCE ? { audience: process.env.JWT_AUDIENCE } : {}),
};
console.log(jwt.sign(claims, secret, options));
