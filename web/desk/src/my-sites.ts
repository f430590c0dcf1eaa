import { api, call } from './api/client';
import type { MySite, SiteRole } from './api/sites';
import { claims } from './session';
import { identitySite, mySites } from './site-choice';

/**
 * The sites the moderator holds a role on, from GET /api/me; a service that does not list them
 * yet gives the token's own site alone (its role as the token says).
 */
export async function loadMySites(): Promise<void> {
  const me = (await call(() => api.GET('/api/me'))) as { sites?: MySite[] };
  if (me.sites) {
    mySites.value = me.sites;
    return;
  }
  const role = claims.value?.role;
  const own = identitySite.value ?? 'default';
  mySites.value = role === 'moderator' || role === 'admin' ? [{ key: own, name: own, role: role as SiteRole }] : [];
}
