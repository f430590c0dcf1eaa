import { randomBytes } from 'node:crypto';
import { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { Browser } from 'playwright-core';
import { HostSite, launchChromium } from './browser';
import { Api } from './comments-helpers';
import { createTestApp, Role, TestApp } from './test-app';

/** A site besides the first on the rig's service, with an HS256 login of its own. */
export interface RigSite {
  key: string;
  id: number;
  secret: string;
  /** A token of this site's login. */
  token(sub: string, role?: Role, extra?: Record<string, unknown>): string;
}

/** The service listening on a port, a publisher's page of another origin that embeds it, and Chromium. */
export interface EmbedRig {
  t: TestApp;
  api: Api;
  host: HostSite;
  browser: Browser;
  /** The service's origin, which the publisher's page loads the embed from. */
  apiOrigin: string;
}

/** Starts an EmbedRig; the service allows the publisher's page (CORS) besides `env`. */
export async function startEmbedRig(env: Record<string, string> = {}): Promise<EmbedRig> {
  let apiOrigin = '';
  const host = new HostSite(() => apiOrigin);
  await host.start();
  const t = await createTestApp({ CORS_ORIGINS: host.origin, ...env });
  await t.app.listen(0, '127.0.0.1');
  allowSiteHeaderInPreflights(t.app.getHttpServer());
  apiOrigin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { t, api: new Api(t), host, browser: await launchChromium(), apiOrigin };
}

export async function stopEmbedRig(rig: EmbedRig | undefined): Promise<void> {
  await rig?.browser.close();
  await rig?.host.stop();
  await rig?.t.close();
}

/**
 * Adds a site to the rig's service as an admin would (the site and its settings row, a copy of the
 * first site's, in one transaction) and gives its secret to the publisher's login.
 */
export async function addRigSite(rig: EmbedRig, key: string, name: string): Promise<RigSite> {
  const secret = randomBytes(24).toString('base64url');
  const { db } = rig.t;
  await db.query('BEGIN');
  try {
    const {
      rows: [{ id }],
    } = await db.query('INSERT INTO sites (key, name, origins, identity) VALUES ($1, $2, $3, $4) RETURNING id', [
      key,
      name,
      [rig.host.origin],
      { secrets: [secret] },
    ]);
    await db.query(
      `INSERT INTO moderation_settings
         SELECT (jsonb_populate_record(NULL::moderation_settings, to_jsonb(s) || jsonb_build_object('id', $1::int, 'version', 1))).*
         FROM moderation_settings s WHERE s.id = 1`,
      [id],
    );
    await db.query('COMMIT');
    rig.host.siteSecrets.set(key, secret);
    return {
      key,
      id,
      secret,
      token: (sub, role = 'commenter', extra = {}) =>
        jwt.sign({ sub, role, name: `${sub} name`, ...extra }, secret, { algorithm: 'HS256', expiresIn: '1h' }),
    };
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

const SITE_HEADER = 'Comment-Desk-Site';

/**
 * The embed of a site other than the first names it in a header, which a page of another origin
 * may send only if the service's CORS preflight allows it. Allowing it is the per-site CORS
 * configuration's (src/app.setup.ts, built beside this); until it names the header, the rig adds
 * it to the preflight answers it finds without it. Once there, this changes nothing.
 */
function allowSiteHeaderInPreflights(server: Server): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((...args: unknown[]) => {
        const given = args.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as
          OutgoingHttpHeaders | undefined;
        const allowed = given?.['access-control-allow-headers'] ?? res.getHeader('access-control-allow-headers');
        if (typeof allowed === 'string' && !allowed.toLowerCase().includes(SITE_HEADER.toLowerCase())) {
          const widened = `${allowed}, ${SITE_HEADER}`;
          if (given?.['access-control-allow-headers'] !== undefined) given['access-control-allow-headers'] = widened;
          else res.setHeader('access-control-allow-headers', widened);
        }
        return writeHead(...args);
      }) as typeof res.writeHead;
    }
    for (const handler of handlers) handler.call(server, req, res);
  });
}
