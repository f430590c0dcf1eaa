import jwt from 'jsonwebtoken';
import type { Role, TestApp } from './test-app';

/** The secret of a second site's login in the tests (HS256 wants 32 characters or more). */
export const SECOND_SITE_SECRET = 'a-second-site-secret-that-is-long-enough';

/**
 * Adds a site whose login signs with `secret`, with its settings row (the first site's rate
 * limits): what the organisation's admin API does, done in SQL.
 */
export async function addSite(t: TestApp, key: string, name: string, secret = SECOND_SITE_SECRET): Promise<number> {
  const {
    rows: [{ id }],
  } = await t.db.query<{ id: number }>(
    `WITH site AS (INSERT INTO sites (key, name, identity) VALUES ($1, $2, $3) RETURNING id),
     settings AS (INSERT INTO moderation_settings (id, rate_limits)
                  SELECT site.id, s.rate_limits FROM site, moderation_settings s WHERE s.id = 1)
     SELECT id FROM site`,
    [key, name, JSON.stringify({ secrets: [secret] })],
  );
  return id;
}

/** A token of a site's login added by addSite. */
export function siteToken(sub: string, role: Role = 'commenter', secret = SECOND_SITE_SECRET): string {
  return jwt.sign({ sub, role, name: `${sub} name` }, secret, { algorithm: 'HS256', expiresIn: '1h' });
}
