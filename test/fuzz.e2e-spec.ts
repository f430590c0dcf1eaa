import { UPLOAD_ROUTES } from '../src/errors/body-reading';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createTestApp, Role, TEST_JWT_SECRET, TestApp } from './support/test-app';
import { appRoutes, Method, ROUTES } from './support/routes';
import { DEFAULT_SETTINGS } from './support/expect';

/**
 * Property-based (fast-check) tests over every endpoint of the HTTP contract (docs/openapi.json): random and hostile
 * path parameters, query strings, bodies, content types and headers, sent anonymously and as each
 * role. Whatever is sent, the answer is never a 5xx; every error is problem+json with one of the
 * contract's codes, at the status that code has; every answer carries nosniff; successes are JSON
 * (the metrics are text/plain, the live thread text/event-stream and the export NDJSON).
 *
 * A failure prints fast-check's seed, path and shrunk counterexample; replay one property with
 * `npx jest test/fuzz.e2e-spec.ts -t '<its name>'` and FUZZ_SEED=<seed> FUZZ_PATH=<path>.
 * FUZZ_RUNS multiplies every run count (e.g. FUZZ_RUNS=10 for a long soak).
 */

/** The contract's error codes and the one HTTP status each goes with (API.md, "Errors"). */
const CODE_STATUS: Record<string, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  USER_BANNED: 403,
  NOT_FOUND: 404,
  ARTICLE_CLOSED: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  EMAIL_UNAVAILABLE: 409,
  LINK_INVALID: 404,
};

/** The DTO fields each body-taking route knows (src/*\/dto). */
const BODY_KEYS: Record<string, string[]> = {
  'PUT /api/me/notifications': ['replies', 'approved', 'rejected', 'frequency', 'lang'],
  'POST /api/me/notifications/address': ['address', 'lang'],
  'POST /api/notifications/unsubscribe': [],
  'POST /api/articles': ['url', 'title', 'externalId', 'moderationMode', 'closeAt'],
  'PATCH /api/articles/:id': ['title', 'moderationMode', 'closeAt', 'disclaimer'],
  'POST /api/articles/:id/close': ['message'],
  'POST /api/articles/:id/reopen': [],
  'POST /api/articles/:id/comments': ['body', 'parentId'],
  'PATCH /api/comments/:id': ['body'],
  'POST /api/comments/:id/reports': ['reason', 'note'],
  'POST /api/moderation/comments/:id/approve': ['reason', 'expectedStatus'],
  'POST /api/moderation/comments/:id/reject': ['reason', 'expectedStatus'],
  'POST /api/moderation/bulk': ['action', 'commentIds', 'reason'],
  'PUT /api/moderation/settings': [
    'bannedWords',
    'suspectWords',
    'maxLinks',
    'premodNewCommenters',
    'reportThreshold',
    'defaultModerationMode',
    'defaultDisclaimerText',
    'defaultClosedMessage',
    'autoCloseAfterDays',
    'editWindowSeconds',
    'maxCommentLength',
    'rateLimits',
  ],
  'POST /api/moderation/users/:id/ban': ['reason', 'until', 'rejectWaiting', 'rejectionReasonLabel'],
  'POST /api/moderation/users/:id/unban': [],
  'POST /api/moderation/users/:id/premod': ['enabled'],
  'DELETE /api/comments/:id': [],
  'POST /api/admin/sites': ['key', 'name', 'origins', 'identity'],
  'PATCH /api/admin/sites/:key': ['name', 'origins', 'identity'],
  'PUT /api/admin/sites/:key/members': ['userSite', 'sub', 'role'],
  'PUT /api/admin/sites/:key/slack': ['url', 'triggers'],
};

/** The query keys each GET route knows. */
const QUERY_KEYS: Record<string, string[]> = {
  'GET /api/articles': ['url', 'closed', 'cursor', 'limit'],
  'GET /api/articles/:id/comments': ['sort', 'cursor', 'limit'],
  'GET /api/comments/:id/replies': ['cursor', 'limit'],
  'GET /api/moderation/queue/:queue': ['articleId', 'cursor', 'limit'],
  'GET /api/moderation/log': ['commentId', 'articleId', 'actorId', 'cursor', 'limit'],
  'GET /api/notifications/confirm': ['token'],
  'GET /api/notifications/unsubscribe': ['token'],
  'POST /api/notifications/unsubscribe': ['token'],
};

/** The lists that cursors are tagged with (src/common/pagination.ts and its callers). */
const QUEUES = ['pending', 'reported', 'unmoderated', 'approved', 'rejected'];
const CURSOR_LISTS = [
  'articles',
  'thread:newest',
  'thread:oldest',
  'replies',
  'log',
  ...QUEUES.map((q) => `queue:${q}`),
];

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number): fc.Parameters<unknown> => ({
  numRuns: Math.max(1, Math.round(n * SCALE)),
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {}),
  // A property takes a second or two; the cap only bounds shrinking a big counterexample (the
  // failure is still reported, with the smallest counterexample found by then).
  interruptAfterTimeLimit: 12_000 * SCALE,
});

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/** Text that must round-trip exactly: emoji ZWJ sequences, combining marks, RTL, zero-width, markup. */
const UNICODE_SAMPLES = [
  '👩‍👩‍👧‍👦',
  '👨🏽‍💻 and 🏳️‍🌈 and 🇺🇦',
  '👍🏽👍🏿',
  'e\u0301 vs \u00e9', // combining acute vs precomposed: not normalized
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  'ﷺ',
  'مرحبا بالعالم',
  'שָׁלוֹם עולם',
  '\u202Etxt.exe\u202C',
  '\u2067RTL isolate\u2069',
  'a\u200Bb\u200Cc\u200Dd\u2060e',
  '\uFEFFbom',
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(document.cookie)">',
  '&amp; &lt;b&gt; &#x3C;script&#x3E;',
  '"; DROP TABLE comments; --',
  "' OR '1'='1",
  '${7*7} {{7*7}} <%= 7*7 %>',
  '\\u0000 is not a NUL',
  '%00 %s %n',
  '𝕳𝖊𝖑𝖑𝖔 \u{1F600}\u{10FFFF}\u{E0001}',
  '\uFFFD\uFFFE\uFFFF',
  '한국어 日本語 Ω≈ç√∫',
  'line\r\nbreak\u2028sep\u2029par\u0085nel',
  '\u0001\u0007\u001b[31mred\u001b[0m',
];
/** Text that PostgreSQL cannot store or that is not well-formed UTF-16: always 400. */
const UNSTORABLE_SAMPLES = [
  '\u0000',
  'a\u0000b',
  'tail\u0000',
  '\ud800',
  'x\udc00y',
  '\udbff\udbff',
  '\udfff\ud800',
  '😀'.slice(0, 1),
];
const BLANK_SAMPLES = ['', ' ', '\t\n\r ', '\u00a0\u2003\u3000', '\uFEFF', '\u2028\u2029', ' \u1680 '];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const wellFormed = (s: string) => !s.includes('\u0000') && s.isWellFormed();

const anyText = (maxLength = 40) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE_SAMPLES, ...UNSTORABLE_SAMPLES, ...BLANK_SAMPLES) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength }) },
  );

const longText = fc
  .tuple(fc.constantFrom('a', '😀', 'e\u0301', ' ', '\u0000', '<', '\ud800'), fc.integer({ min: 150, max: 120_000 }))
  .map(([c, n]) => c.repeat(n));

const hostileText = fc.oneof({ weight: 8, arbitrary: anyText() }, { weight: 1, arbitrary: longText });

/** Percent-encodes like encodeURIComponent; a lone surrogate becomes its (invalid) 3-byte UTF-8 form. */
function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** Raw (already encoded) URL pieces that are hostile in themselves. */
const RAW_URL_PIECES = [
  '..',
  '.',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%',
  '%Z',
  '%ZZ',
  '%ED%A0%80',
  '%C0%AF',
  '%C0%80',
  '%FF%FE',
  '%E2%80%8B',
  '%2F',
  'a%2Fb',
  '%5C',
  '%20',
  '+',
  '%0D%0ASet-Cookie:x=1',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9999999999999999999999',
  '__proto__',
  'constructor',
  'toString',
  '%7B%7D',
  '%5B%5D',
  'a;b',
  '@',
  '~',
];

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** An answer as it came over the wire. */
interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw text, whatever the content type. */
  body: string;
}

interface Req {
  method: Method | 'HEAD' | 'OPTIONS';
  path: string;
  query?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** The request, short enough to read in a failure message and exact enough to replay. */
function describeReq(r: Req): string {
  const body =
    r.body === undefined
      ? ''
      : Buffer.isBuffer(r.body)
        ? `\n  body (${r.body.length} bytes, base64): ${r.body.subarray(0, 300).toString('base64')}${r.body.length > 300 ? '…' : ''}`
        : `\n  body (${r.body.length} chars): ${JSON.stringify(r.body.length > 600 ? `${r.body.slice(0, 600)}…` : r.body)}`;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `\n  ${k}: ${JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}… (${v.length} chars)` : v)}`)
    .join('');
  const clip = (x: string) => (x.length > 300 ? `${x.slice(0, 300)}… (${x.length} chars)` : x);
  return `${r.method} ${clip(r.path)}${r.query !== undefined ? `?${clip(r.query)}` : ''}${headers}${body}`;
}

const PROTO_KEYS_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort().join();
const ARRAY_PROTO_KEYS_BEFORE = Object.getOwnPropertyNames(Array.prototype).sort().join();

describe('fuzzing every endpoint (e2e, fast-check)', () => {
  let t: TestApp;
  const tokens: Record<Role, string> = { commenter: '', moderator: '', admin: '' };
  const ids = {
    articles: [] as string[],
    closedArticle: '',
    comments: [] as string[],
    users: [] as string[],
  };
  const missingUuid = randomUUID();

  /**
   * Sends the request as raw bytes over plain node:http (no client library re-encodes a body,
   * picks a content type or normalizes the path) and collects the whole answer; a live event
   * stream, which never ends, is read for a moment and then dropped.
   */
  function send(r: Req): Promise<Response> {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const bytes = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
    const headers: Record<string, string> = {
      ...r.headers,
      ...(bytes ? { 'Content-Length': String(bytes.length) } : {}),
    };
    const path = r.path + (r.query !== undefined ? `?${r.query}` : '');
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', done);
        res.on('error', done);
        if (/^text\/event-stream/.test(res.headers['content-type'] ?? '')) {
          setTimeout(() => {
            done();
            res.destroy();
          }, 50);
        }
      });
      req.on('error', reject);
      if (bytes) req.write(bytes);
      req.end();
    });
  }

  /**
   * What every answer must be, whatever was asked, in three aspects that are checked (and shrunk)
   * apart, so that one broken aspect cannot hide another:
   * - server: never a 5xx, no stack trace, no polluted prototypes in the process;
   * - problem: every error is problem+json with a string `code` of the contract, at the status that
   *   code has; every success is JSON (204 and 304 have no body);
   * - headers: x-content-type-options: nosniff on every answer.
   */
  type Aspect = 'server' | 'problem' | 'headers';
  const ALL_ASPECTS: Aspect[] = ['server', 'problem', 'headers'];

  function violations(r: Req, res: Response, aspects: Aspect[]): string[] {
    const found: string[] = [];
    const text: string = typeof res.body === 'string' ? res.body : '';
    const type = res.headers['content-type'] ?? '';
    if (aspects.includes('server')) {
      if (res.status >= 500) found.push(`a ${res.status}`);
      if (/"stack"\s*:|\bat .+\.(ts|js):\d+|node_modules\/|\n\s+at\s/.test(text) && res.status >= 400)
        found.push('a stack trace in the body');
      if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== PROTO_KEYS_BEFORE)
        found.push('Object.prototype was polluted');
      if (Object.getOwnPropertyNames(Array.prototype).sort().join() !== ARRAY_PROTO_KEYS_BEFORE)
        found.push('Array.prototype was polluted');
    }
    if (aspects.includes('headers') && res.headers['x-content-type-options'] !== 'nosniff') {
      found.push('no x-content-type-options: nosniff');
    }
    // The sign-in's callback is the reader's window, and the links in readers' emails open in one:
    // a browser is shown a page, even of a refusal.
    const signInPage =
      /^\/api\/(sites\/[^/]+\/sign-in\/callback|notifications\/(confirm|unsubscribe))$/.test(r.path) &&
      /text\/html/.test(r.headers.Accept ?? r.headers.accept ?? '') &&
      /^text\/html(;|$)/.test(type);
    if (aspects.includes('problem') && !signInPage) {
      if (res.status >= 400) {
        if (!/^application\/problem\+json(;|$)/.test(type))
          found.push(`an error of type ${JSON.stringify(type)}, not application/problem+json`);
        if (r.method !== 'HEAD') {
          let problem: Record<string, unknown> | undefined;
          try {
            problem = JSON.parse(text);
          } catch {
            found.push('an error body that is not JSON');
          }
          if (problem) {
            const code = problem.code;
            if (typeof code !== 'string') found.push('a problem without a string code');
            else if (!(code in CODE_STATUS)) found.push(`a code that is not the contract's: ${code}`);
            else if (CODE_STATUS[code] !== res.status)
              found.push(`code ${code} at ${res.status}; the contract gives it ${CODE_STATUS[code]}`);
            if (problem.status !== res.status) found.push('a problem whose status differs from the HTTP status');
            for (const key of ['type', 'title', 'detail'])
              if (typeof problem[key] !== 'string') found.push(`a problem without a string ${key}`);
            if (code === 'RATE_LIMITED' && !res.headers['retry-after']) found.push('429 without Retry-After');
          }
        }
      } else if (res.status === 204 || res.status === 304 || r.method === 'HEAD') {
        if (text !== '') found.push(`a ${res.status} with a body`);
      } else if (r.path.startsWith('/api/docs')) {
        // the interactive documentation: HTML, scripts and styles
      } else if (/^\/api\/(articles\/[^/]+\/comments|moderation)\/stream$/.test(r.path)) {
        if (!/^text\/event-stream(;|$)/.test(type))
          found.push(`a stream of type ${JSON.stringify(type)}, not text/event-stream`);
      } else if (r.path === '/api/metrics') {
        if (!/^text\/plain(;|$)/.test(type)) found.push(`metrics of type ${JSON.stringify(type)}, not text/plain`);
      } else if (r.path === '/api/admin/export') {
        if (!/^application\/x-ndjson(;|$)/.test(type))
          found.push(`an export of type ${JSON.stringify(type)}, not application/x-ndjson`);
        for (const line of text.trimEnd().split('\n')) {
          try {
            JSON.parse(line);
          } catch {
            found.push('an export line that is not JSON');
            break;
          }
        }
      } else {
        if (!/^application\/json(;|$)/.test(type))
          found.push(`a success of type ${JSON.stringify(type)}, not application/json`);
        try {
          JSON.parse(text);
        } catch {
          found.push('a success body that is not JSON');
        }
      }
    }
    return found;
  }

  function checkAnswer(r: Req, res: Response, aspects: Aspect[] = ALL_ASPECTS): void {
    const found = violations(r, res, aspects);
    if (found.length === 0) return;
    const text = typeof res.body === 'string' ? res.body : '';
    throw new Error(
      `${found.join('; ')}\nrequest: ${describeReq(r)}\nresponse: ${res.status} content-type=${res.headers['content-type']} ` +
        `x-content-type-options=${res.headers['x-content-type-options']}\n  ${text.slice(0, 600)}`,
    );
  }

  async function call(r: Req, aspects: Aspect[] = ALL_ASPECTS): Promise<{ res: Response; json: any }> {
    const res = await send(r);
    checkAnswer(r, res, aspects);
    let json: any;
    try {
      json = typeof res.body === 'string' && res.body !== '' ? JSON.parse(res.body) : undefined;
    } catch {
      json = undefined;
    }
    return { res, json };
  }

  const bearer = (role: Role) => ({ Authorization: `Bearer ${tokens[role]}` });
  const jsonReq = (
    method: Method,
    path: string,
    body: unknown,
    role?: Role,
    headers: Record<string, string> = {},
  ): Req => ({
    method,
    path,
    headers: { 'Content-Type': 'application/json', ...(role ? bearer(role) : {}), ...headers },
    body: JSON.stringify(body),
  });

  async function expectStatus(r: Req, status: number): Promise<any> {
    const { res, json } = await call(r);
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}\nrequest: ${describeReq(r)}\n  ${res.body}`);
    return json;
  }

  /** Throws, with the request and the answer, unless the answer is this problem. */
  async function expectProblemAnswer(r: Req, status: number, code: string): Promise<void> {
    const { res, json } = await call(r);
    if (res.status !== status || json?.code !== code)
      throw new Error(`expected ${status} ${code}, got ${res.status}\nrequest: ${describeReq(r)}\n  ${res.body}`);
  }

  async function resetSettings() {
    await expectStatus(jsonReq('PUT', '/api/moderation/settings', DEFAULT_SETTINGS, 'admin'), 200);
  }

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    tokens.commenter = t.token('fuzz-commenter', 'commenter');
    tokens.moderator = t.token('fuzz-moderator', 'moderator');
    tokens.admin = t.token('fuzz-admin', 'admin');
    for (let i = 0; i < 3; i++) {
      const a = await expectStatus(
        jsonReq(
          'POST',
          '/api/articles',
          { url: `https://news.example/fuzz/${i}`, title: `Fuzz ${i}`, externalId: `fuzz-${i}` },
          'moderator',
        ),
        201,
      );
      ids.articles.push(a.id);
    }
    const closed = await expectStatus(
      jsonReq('POST', '/api/articles', { url: 'https://news.example/fuzz/closed', title: 'Closed' }, 'moderator'),
      201,
    );
    await expectStatus(
      jsonReq('POST', `/api/articles/${closed.id}/close`, { message: 'Closed for fuzzing' }, 'moderator'),
      200,
    );
    ids.closedArticle = closed.id;
    ids.articles.push(closed.id);
    for (const [i, articleId] of ids.articles.slice(0, 3).entries()) {
      const top = await expectStatus(
        jsonReq('POST', `/api/articles/${articleId}/comments`, { body: `top ${i}` }, 'commenter'),
        201,
      );
      const reply = await expectStatus(
        jsonReq('POST', `/api/articles/${articleId}/comments`, { body: `reply ${i}`, parentId: top.id }, 'commenter'),
        201,
      );
      const other = await expectStatus(
        jsonReq('POST', `/api/articles/${articleId}/comments`, { body: `by someone else ${i}` }, undefined, {
          Authorization: `Bearer ${t.token('fuzz-other')}`,
        }),
        201,
      );
      ids.comments.push(top.id, reply.id, other.id);
    }
    ids.users.push('fuzz-commenter', 'fuzz-other', 'fuzz-moderator');
  }, 60_000);
  afterAll(() => t?.close());

  // ---------------------------------------------------------------------------------------------
  // Arbitraries that need the app's ids
  // ---------------------------------------------------------------------------------------------

  const uuidish = () =>
    fc.oneof(
      fc.uuid().map((u) => u), // of a missing row
      fc.uuid().map((u) => u.toUpperCase()),
      fc.uuid().map((u) => `{${u}}`),
      fc.uuid().map((u) => u.replace(/-/g, '')),
      fc.uuid().map((u) => `${u}0`),
      fc.uuid().map((u) => u.slice(0, 35)),
      fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', missingUuid),
    );

  /** A path parameter of the given kind: real ids, missing ids, malformed, unicode, long, raw hostile. */
  const pathParam = (kind: 'article' | 'comment' | 'queue' | 'user') => {
    const real =
      kind === 'article'
        ? fc.constantFrom(...ids.articles)
        : kind === 'comment'
          ? fc.constantFrom(...ids.comments)
          : kind === 'queue'
            ? fc.constantFrom(...QUEUES, 'PENDING', 'pending ', 'unknown')
            : fc.constantFrom(...ids.users, 'nobody-seen', 'fuzz-admin');
    return fc.oneof(
      { weight: 5, arbitrary: real.map(encode) },
      { weight: 2, arbitrary: fc.constantFrom(...ids.articles, ...ids.comments) }, // an id of the other kind
      { weight: 2, arbitrary: uuidish().map(encode) },
      {
        weight: 3,
        arbitrary: anyText()
          .filter((s) => s.length > 0)
          .map(encode),
      },
      { weight: 2, arbitrary: fc.constantFrom(...RAW_URL_PIECES) },
      { weight: 1, arbitrary: fc.integer({ min: 201, max: 3000 }).map((n) => 'x'.repeat(n)) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 250 }).map((n) => '%F0%9F%98%80'.repeat(n)) },
    );
  };

  const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
  const isoDate = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  const badDate = fc.constantFrom('not a date', '', 'yesterday', '2026-13-45T99:99:99Z', 'NaN', 'Invalid Date');

  /** Cursors that are never valid for `list`: random bytes, other lists' tags, bad dates and ids, wrong shapes, too long. */
  const forgedCursor = (list: string) =>
    fc.oneof(
      fc.uint8Array({ maxLength: 120 }).map((b) => b64url(Buffer.concat([Buffer.from([0xff]), Buffer.from(b)]))),
      fc.string({ unit: 'binary-ascii', maxLength: 150 }).map((s) => b64url(`x${s}`)), // never starts valid JSON
      fc
        .tuple(
          fc.oneof(fc.constantFrom(...CURSOR_LISTS), anyText()).filter((tag) => tag !== list),
          isoDate,
          fc.oneof(fc.uuid(), fc.constant('123')),
        )
        .map((a) => b64url(JSON.stringify(a))),
      fc.tuple(badDate, fc.uuid()).map(([d, id]) => b64url(JSON.stringify([list, d, id]))),
      fc
        .tuple(
          isoDate,
          fc.oneof(
            fc.constantFrom(
              '',
              '0',
              '-1',
              '1.5',
              "1'; DROP TABLE comments; --",
              'g'.repeat(36),
              '1'.repeat(19),
              '0123',
            ),
            fc.uuid().map((u) => `${u}x`),
            fc.integer(),
            fc.constant(null),
            fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
          ),
        )
        .map(([d, id]) => b64url(JSON.stringify([list, d, id]))),
      fc
        .oneof(
          fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 6 }).filter((a) => a.length !== 3),
          fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
          fc.constant({ list, createdAt: '2026-01-01T00:00:00Z', id: randomUUID() }),
          fc.constant([list, 42, randomUUID()]),
        )
        .map((v) => b64url(JSON.stringify(v))),
      fc.integer({ min: 201, max: 2000 }).map((n) => 'A'.repeat(n)),
      fc.constantFrom('', '=', '==', 'null', '[]'),
    );

  const anyCursor = fc.oneof(
    forgedCursor('(any)'),
    fc
      .tuple(
        fc.constantFrom(...CURSOR_LISTS),
        fc.oneof(isoDate, badDate),
        fc.oneof(fc.uuid(), fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map(String)),
      )
      .map((a) => b64url(JSON.stringify(a))),
    fc.base64String({ maxLength: 80 }),
    anyText(),
  );

  /** Limits outside 1..100 or not integers, as the client would type them. */
  const absurdLimit = fc
    .oneof(
      fc.integer({ min: 101, max: Number.MAX_SAFE_INTEGER }).map(String),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }).map(String),
      fc.bigInt({ min: 10n ** 16n, max: 10n ** 400n }).map(String),
      fc.double({ noNaN: false }).map(String),
      fc.constantFrom(
        '1e309',
        '-1e309',
        'Infinity',
        '-Infinity',
        'NaN',
        '',
        'null',
        'undefined',
        'true',
        '10abc',
        '٣',
        '１０',
        '-0',
        '0.5',
        '100.5',
        '101',
        '1e3',
        '[]',
        '{}',
      ),
      anyText(),
    )
    .filter((s) => {
      const n = Number(s);
      return !(Number.isInteger(n) && n >= 1 && n <= 100);
    });

  /** Query text, kept short enough that the whole request head stays under Node's 16 KB limit. */
  const queryText = fc.oneof(
    { weight: 8, arbitrary: anyText() },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 2500 }).map((n) => 'q'.repeat(n)) },
  );

  const queryValue = (key: string) => {
    const specific: fc.Arbitrary<string>[] = [];
    if (key === 'limit') specific.push(absurdLimit, fc.integer({ min: 1, max: 100 }).map(String));
    if (key === 'cursor') specific.push(anyCursor);
    if (key === 'closed') specific.push(fc.constantFrom('true', 'false', 'TRUE', '1', 'yes'));
    if (key === 'sort')
      specific.push(fc.constantFrom('newest', 'oldest', 'NEWEST', 'random', 'created_at; DROP TABLE comments'));
    if (key === 'url')
      specific.push(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.constantFrom('https://news.example/fuzz/0'),
      );
    if (key === 'articleId' || key === 'commentId')
      specific.push(fc.constantFrom(...ids.articles, ...ids.comments), uuidish());
    if (key === 'actorId') specific.push(fc.constantFrom(...ids.users, 'fuzz-moderator'));
    return fc.oneof(...specific, queryText).map(encode);
  };

  const queryKey = fc.oneof(
    fc.constantFrom('limit', 'cursor', 'url', 'closed', 'sort', 'articleId', 'commentId', 'actorId'),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      '__proto__[role]',
      'constructor[prototype][polluted]',
      'limit[]',
      'limit[0]',
      'cursor[a]',
      'a[b][c]',
      'toString',
      'hasOwnProperty',
      '',
    ),
    anyText(12),
  );

  /** A query string: the route's keys with hostile values, unknown and polluting keys, repeats, raw junk. */
  const queryString = (known: string[]) =>
    fc.oneof(
      fc.constant(undefined),
      fc
        .array(
          fc.oneof(
            {
              weight: 3,
              arbitrary: fc
                .constantFrom(...(known.length ? known : ['limit']))
                .chain((k) => queryValue(k).map((v) => `${k}=${v}`)),
            },
            { weight: 1, arbitrary: fc.tuple(queryKey, queryText).map(([k, v]) => `${encode(k)}=${encode(v)}`) },
            { weight: 1, arbitrary: queryKey.chain((k) => queryValue(k).map((v) => `${encode(k)}=${v}`)) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                ...RAW_URL_PIECES,
                '&&',
                '=',
                'limit',
                'limit=',
                'limit=1&limit=2',
                'cursor=a&cursor=b',
              ),
            },
          ),
          { maxLength: 4 },
        )
        .map((parts) => parts.join('&')),
    );

  /** A plausible value for a DTO field (so that some requests get past validation and reach the database). */
  const plausible = (key: string): fc.Arbitrary<unknown> => {
    switch (key) {
      case 'url':
        return fc.oneof(
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.constantFrom(
            'https://news.example/fuzz/0',
            'javascript:alert(1)',
            'http://localhost',
            'https://e.example/\u0000',
            'https://e.example/\ud800',
          ),
        );
      case 'moderationMode':
      case 'defaultModerationMode':
        return fc.constantFrom('post', 'pre', 'POST', 'none');
      case 'closeAt':
      case 'until':
        return fc.oneof(
          isoDate,
          badDate,
          fc.constantFrom(
            '+275760-09-13T00:00:00.000Z',
            '-271821-04-20T00:00:00.000Z',
            '0001-01-01T00:00:00Z',
            '1970-01-01',
          ),
        );
      case 'disclaimer':
        return fc.record(
          { show: fc.oneof(fc.boolean(), fc.constant(null), wrong), text: fc.oneof(anyText(), wrong) },
          { requiredKeys: [] },
        );
      case 'parentId':
        return fc.oneof(fc.constantFrom(...ids.comments), uuidish());
      case 'commentIds':
        return fc.oneof(
          fc.array(fc.oneof(fc.constantFrom(...ids.comments), fc.uuid()), { maxLength: 5 }),
          fc.array(fc.uuid(), { minLength: 99, maxLength: 102 }),
          fc.constant([ids.comments[0], ids.comments[0]]),
        );
      case 'action':
        return fc.constantFrom('approve', 'reject', 'delete');
      case 'expectedStatus':
        return fc.constantFrom('published', 'pending', 'approved', 'rejected', 'deleted');
      case 'reason':
        return fc.oneof(fc.constantFrom('spam', 'abuse', 'off_topic', 'other'), anyText());
      case 'enabled':
        return fc.oneof(fc.boolean(), fc.constantFrom('true', 1, 0));
      case 'bannedWords':
      case 'suspectWords':
        return fc.array(anyText(8), { maxLength: 4 });
      case 'maxLinks':
      case 'premodNewCommenters':
      case 'reportThreshold':
      case 'autoCloseAfterDays':
      case 'editWindowSeconds':
      case 'maxCommentLength':
        return fc.oneof(fc.integer({ min: -2, max: 60_000 }), fc.constant(null), fc.constant(2 ** 31));
      case 'rateLimits': {
        const limit = fc.record(
          {
            limit: fc.oneof(fc.integer({ min: 0, max: 200_000 }), wrong),
            perSeconds: fc.oneof(fc.integer({ min: 0, max: 100_000 }), wrong),
          },
          { requiredKeys: [] },
        );
        return fc.record({ post: limit, edit: limit, report: limit, address: limit }, { requiredKeys: [] });
      }
      default:
        return anyText();
    }
  };

  /** Values of the wrong type (or the right type and hostile). */
  const wrongOf = (text: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
    fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(-0, 1e308, 2 ** 53 + 2, 2 ** 31, -(2 ** 31) - 1, '', '0', 'true', 'null'),
      fc.array(anyText(8), { maxLength: 4 }),
      fc.dictionary(anyText(8), anyText(8), { maxKeys: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
    );
  const wrong = wrongOf(hostileText);
  const shortWrong = wrongOf(anyText());

  const POLLUTING_KEYS = [
    '__proto__',
    'constructor',
    'prototype',
    'role',
    'isAdmin',
    'id',
    'authorId',
    'status',
    'createdAt',
  ];

  /** An object with the DTO's keys (some missing), each plausible or wrong, plus polluting keys. */
  const dtoObject = (keys: string[]) =>
    fc
      .tuple(
        keys.length
          ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(plausible(k), wrong)])), { requiredKeys: [] })
          : fc.constant({}),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...POLLUTING_KEYS), anyText(10)), wrong), { maxLength: 2 }),
      )
      .map(([fields, extra]) => {
        // JSON text, so that "__proto__" is an own key on the wire as an attacker would send it.
        const members = [...Object.entries(fields), ...extra].map(
          ([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`,
        );
        return `{${members.join(',')}}`;
      });

  const deepNesting = fc
    .tuple(
      fc.integer({ min: 1, max: 20_000 }),
      fc.constantFrom('[', '{"a":'),
      fc.constantFrom('', ...Object.values(BODY_KEYS).flat()),
    )
    .map(([depth, open, key]) => {
      const close = open === '[' ? ']' : '}';
      const nest = open.repeat(depth) + '1' + close.repeat(depth);
      return key ? `{"${key}":${nest}}` : nest;
    });

  const hugeArray = fc
    .tuple(
      fc.integer({ min: 1_000, max: 50_000 }),
      fc.constantFrom('0', '""', 'null', '{}', '"spam"', JSON.stringify(randomUUID())),
      fc.constantFrom('', ...Object.values(BODY_KEYS).flat()),
    )
    .map(([n, item, key]) => {
      const array = `[${Array(n).fill(item).join(',')}]`;
      return key ? `{"${key}":${array}}` : array;
    });

  const POLLUTION_BODIES = [
    '{"__proto__":{"polluted":"yes","role":"admin"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"__proto__":{"__proto__":{"polluted":"yes"}},"body":"x"}',
    '{"body":"x","__proto__":{"isAdmin":true}}',
    '{"reason":"spam","__proto__":null}',
    '{"disclaimer":{"__proto__":{"show":true}}}',
    '{"rateLimits":{"__proto__":{"post":{"limit":1,"perSeconds":1}}}}',
    '{"commentIds":{"__proto__":[]},"action":"approve"}',
    '{"toString":"x","valueOf":1,"hasOwnProperty":"y"}',
  ];

  const INVALID_JSON = [
    '{',
    '{"url":',
    '{"a":1,}',
    "{'a':1}",
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":undefined}',
    '{"a":1}garbage',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"a":"\\x41"}',
    '\uFEFF{"a":1}',
    '{"a":1}{"b":2}',
    '[1,2',
    '"unterminated',
    '/* comment */ {}',
    '{"a":01}',
    '{"a":1e99999}',
    '{"a":-}',
    ' ',
    '',
    'null',
    'true',
    '42',
    '"text"',
    '[]',
    '[{}]',
  ];

  const JSON_TYPES = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/problem+json',
    'application/vnd.api+json',
    'application/json; charset=latin1',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
    'application/json; charset=utf-16le',
    'application/json; charset=bogus',
    'application/json; charset=',
    'application/json; charset="utf-8"',
    'application/json;;;',
    'application/json; boundary=x',
  ];
  const OTHER_TYPES = [
    'text/plain',
    'text/json',
    'text/html',
    'application/xml',
    'text/xml',
    'multipart/form-data; boundary=----fuzz',
    'multipart/form-data',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'image/png',
    '*/*',
    'application/*',
    'application',
    'json',
    'garbage;;;=',
    '',
  ];
  const OTHER_PAYLOADS = [
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    '------fuzz\r\nContent-Disposition: form-data; name="body"\r\n\r\nhello\r\n------fuzz--\r\n',
    'body=hello&parentId=x&__proto__[role]=admin',
    'url=https%3A%2F%2Fe.example%2F1&title=x',
    'just text',
    '<script>alert(1)</script>',
  ];

  const contentEncoding = fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'compress', 'x-unknown', 'gzip, gzip', 'GZIP'),
    },
  );

  /** A body: shaped like the DTO, anything, JSON, polluting, deep, huge, broken, in another format, or none. */
  type Payload = { contentType?: string; body?: string | Buffer; encoding?: string };
  const bodyOf = (keys: string[]): fc.Arbitrary<Payload> => {
    const asJson = (text: fc.Arbitrary<string>) =>
      fc
        .tuple(
          text,
          fc.oneof(
            { weight: 6, arbitrary: fc.constant('application/json') },
            { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) },
          ),
          contentEncoding,
        )
        .map(([body, contentType, encoding]) => ({ body, contentType, encoding }));
    return fc.oneof(
      { weight: 8, arbitrary: asJson(dtoObject(keys)) },
      {
        weight: 3,
        arbitrary: asJson(
          fc
            .anything({
              maxDepth: 4,
              withDate: true,
              withNullPrototype: true,
              withSparseArray: true,
              withBoxedValues: true,
              withUnicodeString: true,
            })
            .map((v) => JSON.stringify(v) ?? ''),
        ),
      },
      { weight: 2, arbitrary: asJson(fc.json({ maxDepth: 4 })) },
      { weight: 2, arbitrary: asJson(fc.constantFrom(...POLLUTION_BODIES)) },
      { weight: 1, arbitrary: asJson(deepNesting) },
      { weight: 1, arbitrary: asJson(hugeArray) },
      { weight: 2, arbitrary: asJson(fc.constantFrom(...INVALID_JSON)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...OTHER_TYPES), fc.oneof(fc.constantFrom(...OTHER_PAYLOADS), dtoObject(keys)))
          .map(([contentType, body]) => ({ contentType, body })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'),
            fc.uint8Array({ maxLength: 300 }),
          )
          .map(([contentType, bytes]) => ({ contentType, body: Buffer.from(bytes) })),
      },
      { weight: 2, arbitrary: fc.constant<Payload>({}) },
    );
  };

  /** Header values a client can put on the wire: visible latin-1, spaces and tabs. */
  const headerText = (minLength = 0, maxLength = 60) =>
    fc.string({
      unit: fc
        .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09))
        .map((c) => String.fromCharCode(c)),
      minLength,
      maxLength,
    });

  const oddToken = fc
    .record(
      {
        sub: fc.oneof(anyText(), fc.constantFrom('fuzz-commenter', ' ', 'x'.repeat(201)), shortWrong),
        role: fc.oneof(fc.constantFrom('commenter', 'moderator', 'admin', 'root', 'Admin', ''), shortWrong),
        name: fc.oneof(anyText(), shortWrong),
        exp: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), shortWrong),
        nbf: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), shortWrong),
        iss: anyText(),
        aud: fc.oneof(anyText(), fc.array(anyText(), { maxLength: 2 })),
      },
      { requiredKeys: [] },
    )
    .map((claims) => jwt.sign(JSON.stringify(claims), TEST_JWT_SECRET, { algorithm: 'HS256' })); // raw JSON: no claim checks on our side

  const authorization = () =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 9,
        arbitrary: fc.constantFrom<Role>('commenter', 'moderator', 'admin').map((role) => `Bearer ${tokens[role]}`),
      },
      { weight: 2, arbitrary: oddToken.map((tk) => `Bearer ${tk}`) },
      {
        weight: 3,
        arbitrary: fc.oneof(
          headerText(),
          headerText().map((s) => `Bearer ${s}`),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'bearer x',
            'Basic dXNlcjpwYXNz',
            'Digest a=b',
            'Bearer null',
            'Bearer undefined',
            'Bearer a.b.c',
            'Bearer ...',
          ),
          fc.constantFrom<Role>('commenter', 'admin').map((role) => `bearer ${tokens[role]}`),
          fc.constantFrom<Role>('commenter', 'admin').map((role) => `Bearer  ${tokens[role]}`),
          fc.constantFrom<Role>('commenter', 'admin').map((role) => `Bearer ${tokens[role]}x`),
          fc.constantFrom<Role>('commenter', 'admin').map((role) => `Bearer ${tokens[role]}, Bearer ${tokens[role]}`),
          fc.constantFrom<Role>('admin').map((role) => `Bearer ${tokens[role].split('.').slice(0, 2).join('.')}.`),
          fc.constant(`Bearer ${b64url('{"alg":"none","typ":"JWT"}')}.${b64url('{"sub":"eve","role":"admin"}')}.`),
          fc.integer({ min: 1000, max: 3000 }).map((n) => `Bearer ${'a'.repeat(n)}`),
        ),
      },
    );

  const extraHeaders = fc.record(
    {
      'Idempotency-Key': fc.oneof(
        fc.string({
          unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
          minLength: 1,
          maxLength: 200,
        }),
        headerText(0, 300),
        fc.integer({ min: 201, max: 3000 }).map((n) => 'k'.repeat(n)),
      ),
      Accept: fc.oneof(
        fc.constantFrom('text/html', 'application/xml', '*/*', 'application/json;q=0', ''),
        headerText(),
      ),
      'Accept-Charset': fc.constantFrom('latin1', 'utf-16', 'bogus'),
      'X-Forwarded-For': fc.oneof(fc.ipV4(), fc.ipV6(), headerText()),
      'X-HTTP-Method-Override': fc.constantFrom('DELETE', 'PUT', 'GET'),
      Origin: fc.oneof(fc.webUrl(), headerText()),
      Range: fc.constantFrom('bytes=0-1', 'bytes=-1', 'items=0-10'),
      'If-None-Match': fc.constantFrom('*', 'W/"x"'),
      'If-Modified-Since': fc.constantFrom('Thu, 01 Jan 2099 00:00:00 GMT', 'garbage'),
      'Last-Event-ID': fc.oneof(fc.bigInt({ min: -1n, max: 10n ** 20n }).map(String), headerText()),
    },
    { requiredKeys: [] },
  );

  /** A request to one route: every part random or hostile. */
  const requestTo = (method: Method, template: string): fc.Arbitrary<Req> => {
    const routeKey = `${method} ${template}`;
    const params = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const kind = (name: string) =>
      name === 'queue'
        ? 'queue'
        : template.includes('/users/')
          ? 'user'
          : template.startsWith('/api/articles')
            ? 'article'
            : 'comment';
    const pathArb = params.length
      ? fc
          .tuple(...params.map((p) => pathParam(kind(p))))
          .map((values) => params.reduce((path, p, i) => path.replace(`:${p}`, values[i]), template))
      : fc.constant(template);
    const hasBody = method !== 'GET';
    return fc
      .record({
        path: pathArb,
        query: queryString(QUERY_KEYS[routeKey] ?? []),
        auth: authorization(),
        extra: extraHeaders,
        payload: hasBody
          ? bodyOf(BODY_KEYS[routeKey] ?? [])
          : fc.oneof({ weight: 5, arbitrary: fc.constant<Payload>({}) }, { weight: 1, arbitrary: bodyOf([]) }),
      })
      .map(({ path, query, auth, extra, payload }) => {
        const headers: Record<string, string> = { ...(extra as Record<string, string>) };
        if (auth !== undefined) headers.Authorization = auth;
        if (payload.contentType !== undefined) headers['Content-Type'] = payload.contentType;
        if (payload.encoding !== undefined) headers['Content-Encoding'] = payload.encoding;
        const head =
          path.length +
          (query?.length ?? 0) +
          Object.entries(headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v, 'latin1') + 4, 0);
        // Node answers a head over 16 KB itself (431); that is probed apart below.
        return { method, path, query: head > 15_000 ? undefined : query, headers, body: payload.body };
      });
  };

  // ---------------------------------------------------------------------------------------------
  // The properties
  // ---------------------------------------------------------------------------------------------

  it('fuzzes the same routes that the app has', () => {
    expect(appRoutes(t).sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
  });

  describe('comment text', () => {
    beforeAll(() => resetSettings());

    let articleId: string;
    beforeAll(async () => {
      const a = await expectStatus(
        jsonReq('POST', '/api/articles', { url: 'https://news.example/fuzz/unicode', title: 'Unicode' }, 'moderator'),
        201,
      );
      articleId = a.id;
    });

    const bodies = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }) },
      { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 40 }) },
      { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 20 }) },
      { weight: 3, arbitrary: fc.constantFrom(...UNICODE_SAMPLES) },
      { weight: 1, arbitrary: fc.constantFrom(...UNSTORABLE_SAMPLES, ...BLANK_SAMPLES) },
      {
        weight: 3,
        arbitrary: fc
          .array(
            fc.oneof(
              fc.constantFrom(...UNICODE_SAMPLES, ...BLANK_SAMPLES, ' ', '\n'),
              fc.string({ unit: 'grapheme', maxLength: 5 }),
            ),
            { minLength: 1, maxLength: 6 },
          )
          .map((parts) => parts.join('')),
      },
    );

    /** A commenter no other case uses: the service refuses the same text twice from one user. */
    const freshUser = () => {
      const id = `fuzz-text-${randomUUID()}`;
      return { id, auth: `Bearer ${t.token(id)}` };
    };

    it('round-trips any storable text exactly (trimmed), and refuses NUL, lone surrogates and blank text with 400', async () => {
      await fc.assert(
        fc.asyncProperty(bodies, bodies, async (body, edited) => {
          const user = freshUser();
          const post: Req = jsonReq('POST', `/api/articles/${articleId}/comments`, { body }, undefined, {
            Authorization: user.auth,
          });
          const { res, json } = await call(post);
          const expected = body.trim();
          if (!wellFormed(body) || expected.length === 0) {
            expect({ status: res.status, code: json?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
            return;
          }
          if (res.status !== 201)
            throw new Error(`expected 201, got ${res.status}\nrequest: ${describeReq(post)}\n  ${res.body}`);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(json.body).toBe(expected);
          // exactly the same code units: no normalization, no escaping, no sanitizing
          expect([...json.body].map((c) => c.codePointAt(0))).toEqual([...expected].map((c) => c.codePointAt(0)));

          const read = await call({
            method: 'GET',
            path: `/api/comments/${json.id}`,
            headers: { Authorization: user.auth },
          });
          expect(read.res.status).toBe(200);
          expect(read.json.body).toBe(expected);
          const stored = await t.db.query('SELECT body FROM comments WHERE id = $1', [json.id]);
          expect(stored.rows[0].body).toBe(expected);

          // an edit follows the same rules
          const edit: Req = jsonReq('PATCH', `/api/comments/${json.id}`, { body: edited }, undefined, {
            Authorization: user.auth,
          });
          const patched = await call(edit);
          const expectedEdit = edited.trim();
          if (!wellFormed(edited) || expectedEdit.length === 0) {
            expect({ status: patched.res.status, code: patched.json?.code }).toEqual({
              status: 400,
              code: 'VALIDATION_FAILED',
            });
          } else {
            if (patched.res.status !== 200)
              throw new Error(
                `expected 200, got ${patched.res.status}\nrequest: ${describeReq(edit)}\n  ${patched.res.body}`,
              );
            expect(patched.json.body).toBe(expectedEdit);
            const reread = await call({
              method: 'GET',
              path: `/api/comments/${json.id}`,
              headers: { Authorization: user.auth },
            });
            expect(reread.json.body).toBe(expectedEdit);
          }
        }),
        runs(60),
      );
    }, 120_000);

    it('returns markup as the same inert text, in JSON with nosniff, in the comment and in the thread', async () => {
      const markup = fc.oneof(
        fc.constantFrom(
          '<script>alert(1)</script>',
          '&amp;',
          '&lt;script&gt;alert(1)&lt;/script&gt;',
          '<img src=x onerror=alert(1)>',
          '<a href="javascript:alert(1)">click</a>',
          '<svg/onload=alert(1)>',
          '</script><script>alert(1)</script>',
          '<!--',
          ']]><![CDATA[',
          '<iframe srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"></iframe>',
        ),
        fc
          .tuple(
            fc.constantFrom('script', 'b', 'img', 'style', 'a', 'svg'),
            fc.string({ unit: 'grapheme', maxLength: 20 }),
            fc.constantFrom('', '&amp;', '&#60;', '&nbsp;'),
          )
          .map(([tag, inner, entity]) => `<${tag} onclick="x()">${inner}${entity}</${tag}>`),
      );
      await fc.assert(
        fc.asyncProperty(markup, async (html) => {
          const user = freshUser();
          const { res, json } = await call(
            jsonReq('POST', `/api/articles/${articleId}/comments`, { body: html }, undefined, {
              Authorization: user.auth,
            }),
          );
          expect(res.status).toBe(201);
          expect(json.body).toBe(html.trim());
          const thread = await call({
            method: 'GET',
            path: `/api/articles/${articleId}/comments`,
            query: 'sort=newest&limit=100',
            headers: {},
          });
          expect(thread.res.headers['content-type']).toMatch(/^application\/json/);
          expect(thread.res.headers['x-content-type-options']).toBe('nosniff');
          const listed = thread.json.items.find((c: { id: string }) => c.id === json.id);
          expect(listed?.body).toBe(html.trim());
        }),
        runs(30),
      );
    }, 60_000);

    it('counts the length in characters: maxCommentLength of emoji fits, one more does not', async () => {
      for (const [char, n, status] of [
        ['😀', 5000, 201],
        ['😀', 5001, 400],
        ['e\u0301', 2500, 201],
        ['e\u0301', 2501, 400],
      ] as const) {
        const user = freshUser();
        const body = `  ${char.repeat(n)}  `;
        const { res, json } = await call(
          jsonReq('POST', `/api/articles/${articleId}/comments`, { body }, undefined, { Authorization: user.auth }),
        );
        expect({ n, char, status: res.status }).toEqual({ n, char, status });
        if (status === 201) expect(json.body).toBe(body.trim());
        else expect(json.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('limits and cursors', () => {
    const LISTS: { path: () => string; list: (query: string) => string; role?: Role }[] = [
      { path: () => '/api/articles', list: () => 'articles', role: 'moderator' },
      {
        path: () => `/api/articles/${ids.articles[0]}/comments`,
        list: (q) => (q.includes('sort=oldest') ? 'thread:oldest' : 'thread:newest'),
      },
      { path: () => `/api/comments/${ids.comments[0]}/replies`, list: () => 'replies' },
      ...QUEUES.map((q) => ({
        path: () => `/api/moderation/queue/${q}`,
        list: () => `queue:${q}`,
        role: 'moderator' as Role,
      })),
      { path: () => '/api/moderation/log', list: () => 'log', role: 'moderator' },
    ];

    it('answers an absurd limit with 400 VALIDATION_FAILED on every list', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...LISTS), absurdLimit, fc.boolean(), async (l, limit, twice) => {
          const r: Req = {
            method: 'GET',
            path: l.path(),
            query: twice ? `limit=10&limit=${encode(limit)}` : `limit=${encode(limit)}`,
            headers: l.role ? bearer(l.role) : {},
          };
          await expectProblemAnswer(r, 400, 'VALIDATION_FAILED');
        }),
        runs(60),
      );
    }, 60_000);

    it('answers a forged cursor with 400 VALIDATION_FAILED on every list', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...LISTS)
            .chain((l) =>
              fc
                .tuple(fc.constant(l), fc.constantFrom('', 'sort=oldest&', 'sort=newest&'))
                .chain(([l2, sort]) => forgedCursor(l2.list(sort)).map((cursor) => ({ l: l2, sort, cursor }))),
            ),
          async ({ l, sort, cursor }) => {
            const r: Req = {
              method: 'GET',
              path: l.path(),
              query: `${l.path().endsWith('/comments') ? sort : ''}cursor=${encode(cursor)}`,
              headers: l.role ? bearer(l.role) : {},
            };
            await expectProblemAnswer(r, 400, 'VALIDATION_FAILED');
          },
        ),
        runs(60),
      );
    }, 60_000);

    it('accepts the cursor it handed out', async () => {
      const first = await expectStatus(
        { method: 'GET', path: '/api/moderation/log', query: 'limit=1', headers: bearer('moderator') },
        200,
      );
      expect(first.nextCursor).toEqual(expect.any(String));
      await expectStatus(
        {
          method: 'GET',
          path: '/api/moderation/log',
          query: `limit=1&cursor=${encode(first.nextCursor)}`,
          headers: bearer('moderator'),
        },
        200,
      );
    });
  });

  describe('oversized bodies', () => {
    const BODY_ROUTES = ROUTES.filter(([m]) => m !== 'GET');
    const MB = 1024 * 1024;

    it('answers a JSON body over 1 MB with 413 PAYLOAD_TOO_LARGE on every route that takes one, before anything else', async () => {
      await fc.assert(
        fc.asyncProperty(
          // (an import's upload is a file of any size, streamed: not a JSON body)
          fc.constantFrom(...BODY_ROUTES.filter(([m, p]) => !UPLOAD_ROUTES.has(`${m} ${p}`))),
          fc.integer({ min: MB + 1, max: 3 * MB }),
          fc.constantFrom<Role | undefined>(undefined, 'commenter', 'moderator', 'admin'),
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/merge-patch+json'),
          fc.constantFrom('body', 'title', 'reason', 'x'),
          async ([method, template], size, role, contentType, key) => {
            const prefix = `{"${key}":"`;
            const body = `${prefix}${'a'.repeat(size - prefix.length - 2)}"}`;
            const path = template
              .replace(':queue', 'pending')
              .replace(':id', template.includes('/users/') ? 'fuzz-commenter' : ids.comments[0]);
            const r: Req = {
              method,
              path,
              headers: { 'Content-Type': contentType, ...(role ? bearer(role) : {}) },
              body,
            };
            await expectProblemAnswer(r, 413, 'PAYLOAD_TOO_LARGE');
          },
        ),
        runs(12),
      );
    }, 60_000);

    it('answers a gzip bomb (small on the wire, over 1 MB inflated) with 413', async () => {
      const inflated = `{"body":"${'a'.repeat(4 * MB)}"}`;
      const r: Req = {
        method: 'POST',
        path: `/api/articles/${ids.articles[0]}/comments`,
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', ...bearer('commenter') },
        body: gzipSync(inflated),
      };
      const { res, json } = await call(r);
      expect({ status: res.status, code: json?.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('still reads a body of just under 1 MB', async () => {
      const prefix = '{"reason":"';
      const body = `${prefix}${'a'.repeat(MB - prefix.length - 2 - 10)}"}`;
      const r: Req = {
        method: 'POST',
        path: `/api/moderation/comments/${ids.comments[0]}/approve`,
        headers: { 'Content-Type': 'application/json', ...bearer('moderator') },
        body,
      };
      const { res, json } = await call(r);
      expect({ status: res.status, code: json?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' }); // too long a reason, but read
    });
  });

  describe('hostile bodies, one kind at a time', () => {
    const BODY_ROUTES = ROUTES.filter(([m]) => m !== 'GET');
    const target = ([method, template]: (typeof ROUTES)[number]) => ({
      method,
      path: template
        .replace(':queue', 'pending')
        .replace(
          ':id',
          template.includes('/users/')
            ? 'fuzz-other'
            : template.startsWith('/api/articles')
              ? ids.articles[1]
              : ids.comments[3],
        ),
    });
    const asRole = fc.constantFrom<Role | undefined>(undefined, 'commenter', 'moderator', 'admin');

    it('answers deeply nested JSON (arrays or objects, at the top or in a field) without a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...BODY_ROUTES),
          fc.integer({ min: 1, max: 100_000 }),
          fc.constantFrom('[', '{"a":'),
          fc.constantFrom('', 'body', 'title', 'reason', 'commentIds', 'disclaimer', 'rateLimits', 'unknown'),
          asRole,
          async (route, depth, open, key, role) => {
            const nest = open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth);
            await call(
              {
                ...target(route),
                headers: { 'Content-Type': 'application/json', ...(role ? bearer(role) : {}) },
                body: key ? `{"${key}":${nest}}` : nest,
              },
              ['server', 'problem'],
            );
          },
        ),
        runs(30),
      );
    }, 60_000);

    it('answers a body that does not decode by its Content-Encoding with a 4xx problem, not a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...BODY_ROUTES),
          fc.constantFrom('gzip', 'deflate', 'br', 'GZIP'),
          fc.oneof(
            fc.constantFrom('{}', '[]', '{"body":"x"}', ''),
            fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
          ),
          asRole,
          async (route, encoding, body, role) => {
            await call(
              {
                ...target(route),
                headers: {
                  'Content-Type': 'application/json',
                  'Content-Encoding': encoding,
                  ...(role ? bearer(role) : {}),
                },
                body,
              },
              ['server', 'problem'],
            );
          },
        ),
        runs(20),
      );
    }, 60_000);

    it('answers JSON in a charset other than UTF-8, or in an unknown encoding, with 400 VALIDATION_FAILED problem+json', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...BODY_ROUTES),
          fc.oneof(
            fc
              .constantFrom('latin1', 'iso-8859-1', 'us-ascii', 'windows-1252', 'utf-7', 'bogus', 'utf-32')
              .map((c) => ({ 'Content-Type': `application/json; charset=${c}` })),
            fc
              .constantFrom('compress', 'x-unknown', 'gzip, gzip', 'identity, gzip')
              .map((e) => ({ 'Content-Type': 'application/json', 'Content-Encoding': e })),
          ),
          async (route, headers) => {
            await call({ ...target(route), headers: { ...headers, ...bearer('admin') }, body: '{}' }, [
              'server',
              'problem',
            ]);
          },
        ),
        runs(20),
      );
    }, 60_000);

    it('refuses a garbage Authorization header with 401 UNAUTHENTICATED on every route, public ones too', async () => {
      const garbage = fc.oneof(
        headerText(),
        headerText().map((h) => `Bearer ${h}`),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          'Bearer null',
          'Bearer a.b.c',
          `Bearer ${b64url('{"alg":"none"}')}.${b64url('{"sub":"eve","role":"admin"}')}.`,
        ),
        fc
          .constantFrom<Role>('commenter', 'moderator', 'admin')
          .chain((role) =>
            fc.constantFrom(
              `bearer ${tokens[role]}`,
              `Bearer  ${tokens[role]}`,
              `Bearer ${tokens[role]}x`,
              `Bearer ${tokens[role]}, Bearer ${tokens[role]}`,
              `Token ${tokens[role]}`,
            ),
          ),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), garbage, async (route, auth) => {
          const { res, json } = await call({ ...target(route), headers: { Authorization: auth } }, [
            'server',
            'problem',
          ]);
          if (res.status !== 401 || json?.code !== 'UNAUTHENTICATED')
            throw new Error(
              `expected 401 UNAUTHENTICATED, got ${res.status} ${json?.code} for ${route.join(' ')} with Authorization ${JSON.stringify(auth)}`,
            );
        }),
        runs(60),
      );
    }, 60_000);

    it('leaves no prototype polluted, whatever keys the body has', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...BODY_ROUTES),
          fc.constantFrom(...POLLUTION_BODIES),
          asRole,
          async (route, body, role) => {
            const { res } = await call(
              {
                ...target(route),
                headers: { 'Content-Type': 'application/json', ...(role ? bearer(role) : {}) },
                body,
              },
              ['server', 'problem'],
            );
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
            expect(({} as Record<string, unknown>).role).toBeUndefined();
            expect(res.status).toBeLessThan(500);
          },
        ),
        runs(30),
      );
    }, 60_000);
  });

  describe('every route, every input', () => {
    afterAll(() => resetSettings());

    const CASES = ROUTES.flatMap(([method, path]) => ALL_ASPECTS.map((aspect) => [method, path, aspect] as const));

    it.each(CASES)(
      '%s %s: %s',
      async (method, template, aspect) => {
        await fc.assert(
          fc.asyncProperty(requestTo(method, template), async (r) => {
            await call(r, [aspect]);
          }),
          runs(30),
        );
      },
      60_000,
    );

    it.each(ALL_ASPECTS)(
      'other methods and unknown paths: %s',
      async (aspect) => {
        const anyPath = fc.oneof(
          fc.constantFrom(...ROUTES).chain(([, template]) => requestTo('GET', template).map((r) => r.path)),
          fc
            .array(fc.oneof(anyText(10).map(encode), fc.constantFrom(...RAW_URL_PIECES)), { maxLength: 4 })
            .map((parts) => `/api/${parts.join('/')}`),
          fc.constantFrom(
            '/',
            '/api',
            '/api/',
            '/elsewhere',
            '/api/articles/',
            '/api//articles',
            '/API/articles',
            '/api/articles/../health',
            '/api/docs-json/x',
            '/api/metrics/x',
          ),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom<Req['method']>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
            anyPath,
            authorization(),
            async (method, path, auth) => {
              await call({ method, path, headers: auth ? { Authorization: auth } : {} }, [aspect]);
            },
          ),
          runs(40),
        );
      },
      60_000,
    );

    it("answers a request head over the server's 16 KB limit (long path, query or header) with problem+json too", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('path', 'query', 'Authorization', 'Idempotency-Key', 'X-Anything'),
          fc.integer({ min: 17_000, max: 40_000 }),
          async (where, size) => {
            const long = 'a'.repeat(size);
            const r: Req = {
              method: 'POST',
              path:
                where === 'path' ? `/api/moderation/users/${long}/unban` : `/api/articles/${ids.articles[0]}/comments`,
              query: where === 'query' ? `cursor=${long}` : undefined,
              headers: {
                'Content-Type': 'application/json',
                ...(where === 'Authorization'
                  ? { Authorization: `Bearer ${long}` }
                  : where === 'path'
                    ? bearer('moderator')
                    : bearer('commenter')),
                ...(where === 'Idempotency-Key' || where === 'X-Anything' ? { [where]: long } : {}),
              },
              body: '{"body":"hello"}',
            };
            await call(r);
          },
        ),
        runs(5),
      );
    }, 60_000);
  });
});
