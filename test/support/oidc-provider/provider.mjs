// A real OpenID provider (oidc-provider) on a loopback port, for tests: run in a child process
// (see ../oidc-provider.ts), steered over IPC. It holds its signing keys itself, so that a test can
// rotate them, mint tokens with them, and make the provider stop answering.
//
// Options (JSON in argv[2]): { clientId, clientSecret, redirectUris, claims: { [login]: {...} } }.
// Any login name signs in (the dev login form); its claims are name, email, email_verified, role.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const keys = []; // { kid, privateJwk, publicJwk, privateKey, published }, newest first
const requests = {}; // path -> count, since the last resetCounts
let provider;
let answering = true;
let held = []; // requests waiting while the provider does not answer

async function addKey(alg = 'RS256') {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const common = { kid, alg, use: 'sig' };
  keys.unshift({
    kid,
    alg,
    privateKey,
    privateJwk: { ...(await jose.exportJWK(privateKey)), ...common },
    publicJwk: { ...(await jose.exportJWK(publicKey)), ...common },
    published: true,
  });
  return kid;
}

const publishedJwks = () => ({ keys: keys.filter((k) => k.published).map((k) => k.publicJwk) });

function createProvider(issuer) {
  const accounts = options.claims ?? {};
  const created = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId ?? 'comment-desk',
        client_secret: options.clientSecret ?? 'a-client-secret-for-tests-only',
        redirect_uris: options.redirectUris ?? ['http://127.0.0.1/callback'],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    // Only the keys still signing: the provider signs id_tokens with the newest (the first).
    jwks: { keys: keys.filter((k) => k.published).map((k) => k.privateJwk) },
    cookies: { keys: ['a-cookie-key-for-tests-only'] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'], role: ['role'] },
    scopes: ['openid', 'profile', 'email', 'role'],
    // The claims go in the id_token itself, as the comments' embed will read them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    // A first-party client: no consent screen, every scope asked is granted.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const extra = accounts[sub] ?? {};
      return {
        accountId: sub,
        async claims() {
          return { sub, name: `${sub} name`, email: `${sub}@example.test`, email_verified: true, ...extra };
        },
      };
    },
  });
  return created;
}

function handle(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  requests[path] = (requests[path] ?? 0) + 1;
  if (!answering) {
    held.push([req, res]);
    return;
  }
  // The key set is ours: a rotated-out key can stay published while the provider signs with the new one.
  if (path === '/jwks') {
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    res.end(JSON.stringify(publishedJwks()));
    return;
  }
  provider.callback()(req, res);
}

const commands = {
  async mint({ claims, kid, header }) {
    const key = kid ? keys.find((k) => k.kid === kid) : keys[0];
    if (!key) throw new Error(`no key ${kid}`);
    const now = Math.floor(Date.now() / 1000);
    // A claim given as null is left out (JSON over IPC has no undefined).
    const payload = Object.fromEntries(
      Object.entries({ iss: provider.issuer, iat: now, exp: now + 3600, ...claims }).filter(([, v]) => v !== null),
    );
    return new jose.SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
      .sign(key.privateKey);
  },
  /** A new signing key, published; the old ones stay published unless dropOld. */
  async rotateKeys({ dropOld = false, alg } = {}) {
    const kid = await addKey(alg);
    if (dropOld) for (const k of keys.slice(1)) k.published = false;
    provider = createProvider(provider.issuer);
    return { kid, published: publishedJwks().keys.map((k) => k.kid) };
  },
  /** Stops publishing a key (it can still mint tokens: the forgeries a test needs). */
  async dropKey({ kid }) {
    const key = keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`no key ${kid}`);
    key.published = false;
    provider = createProvider(provider.issuer);
    return { published: publishedJwks().keys.map((k) => k.kid) };
  },
  async keys() {
    return { signing: keys[0].kid, published: publishedJwks().keys.map((k) => k.kid) };
  },
  /** Requests are accepted and held, unanswered: a provider that hangs, the worst case for a client. */
  async stopAnswering() {
    answering = false;
  },
  async resumeAnswering() {
    answering = true;
    const waiting = held;
    held = [];
    for (const [req, res] of waiting) if (!res.destroyed) handle(req, res);
  },
  async requests() {
    return { ...requests };
  },
  async resetCounts() {
    for (const path of Object.keys(requests)) delete requests[path];
  },
};

const server = createServer(handle);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
await addKey();
provider = createProvider(issuer);

process.on('message', async ({ id, command, args }) => {
  if (command === 'stop') {
    for (const [, res] of held) res.destroy();
    server.closeAllConnections();
    server.close(() => process.exit(0));
    return;
  }
  try {
    process.send({ id, result: await commands[command](args ?? {}) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
// The test process went away without stopping us.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, issuer, jwksUrl: `${issuer}/jwks` });
