import { INestApplication, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { SitesDirectory } from '../sites/sites.directory';

/** A publication of the demo beside the installation's first site, with a login of its own. */
export interface DemoSiteSpec {
  key: string;
  name: string;
}

/** The demo's second publication: its page is /demo/evening.html, its readers sign in with its own secret. */
export const EVENING_POST: DemoSiteSpec = { key: 'evening', name: 'The Evening Post' };

/**
 * `npm start` only: makes sure the demo's second site exists, its login an HS256 secret of its own
 * (kept in `secretFile` too, where `npm run token -- --site KEY` reads it), and its settings a copy
 * of the first site's. The site and its settings row are made in one transaction: a site without
 * settings would answer no request. A site that exists is kept as it is, its secret written back
 * to the file (a `.data/` whose file went missing), and the demo's origin added to its origins.
 * Returns the site's secret, or null when its login has none (changed by an admin to another kind).
 */
export async function ensureDemoSite(
  app: INestApplication,
  spec: DemoSiteSpec,
  origin: string,
  secretFile: string,
): Promise<string | null> {
  const fileSecret = existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() || null : null;
  const secret = await app.get(DataSource).transaction(async (manager) => {
    const [found] = (await manager.query('SELECT identity, origins FROM sites WHERE key = $1 FOR UPDATE', [
      spec.key,
    ])) as { identity: { secrets?: unknown }; origins: string[] }[];
    if (found) {
      if (!found.origins.includes(origin))
        await manager.query(
          'UPDATE sites SET origins = array_append(origins, $2), version = version + 1, updated_at = now() WHERE key = $1',
          [spec.key, origin],
        );
      const kept = Array.isArray(found.identity.secrets) ? found.identity.secrets[0] : undefined;
      return typeof kept === 'string' ? kept : null;
    }
    const made = fileSecret ?? randomBytes(32).toString('base64url');
    const [{ id }] = (await manager.query(
      'INSERT INTO sites (key, name, origins, identity) VALUES ($1, $2, $3, $4) RETURNING id',
      [spec.key, spec.name, [origin], { secrets: [made] }],
    )) as { id: number }[];
    // Every setting as the first site has it, under the new site's id.
    await manager.query(
      `INSERT INTO moderation_settings
         SELECT (jsonb_populate_record(NULL::moderation_settings, to_jsonb(s) || jsonb_build_object('id', $1::int, 'version', 1))).*
         FROM moderation_settings s WHERE s.id = 1`,
      [id],
    );
    new Logger('Demo').log(`Made the demo's second site, "${spec.name}" (${spec.key})`);
    return made;
  });
  app.get(SitesDirectory).forget();
  if (secret && secret !== fileSecret) writeFileSync(secretFile, secret, { mode: 0o600 });
  if (!secret) new Logger('Demo').warn(`The demo site ${spec.key} has no HS256 secret: its demo thread is not made`);
  return secret;
}
