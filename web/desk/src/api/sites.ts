/**
 * The admin API for sites, typed by hand until docs/openapi.json describes it (then these types
 * come from ./openapi like the rest, and this file shrinks to the calls).
 */
import { call, untyped } from './client';

export type SiteRole = 'moderator' | 'admin';

/** A site the caller moderates, as GET /api/me lists it. */
export interface MySite {
  key: string;
  name: string;
  role: SiteRole;
}

/** Parts of an identity that the console does not edit, sent back as they were read. */
interface IdentityRest {
  signIn?: { clientId: string; scopes?: string[] };
  claims?: Record<string, string>;
  roles?: { moderator?: string[]; admin?: string[] };
}

/** A site's identity as read back: secrets are write-only, told by their fingerprints. */
export interface SiteIdentityView extends IdentityRest {
  issuer?: string;
  audience?: string;
  jwksUrl?: string;
  publicKeys?: string[];
  secretFingerprints?: string[];
  signIn?: { clientId: string; scopes?: string[]; clientSecretFingerprint?: string };
  emailLinks?: boolean;
}

/** A site's identity as written: replaces the stored one; secrets left out keep those set. */
export interface SiteIdentityInput extends IdentityRest {
  issuer?: string;
  audience?: string;
  jwksUrl?: string;
  publicKeys?: string[];
  secrets?: string[];
  emailLinks?: boolean;
}

export interface SiteView {
  id: number;
  key: string;
  name: string;
  origins: string[];
  /** The first site's origins from CORS_ORIGINS: read-only here. */
  environmentOrigins: string[];
  identity: SiteIdentityView;
  role: SiteRole;
  createdAt: string;
  updatedAt: string;
}

export interface MemberView {
  userId: string;
  name: string | null;
  userSite: string;
  role: SiteRole;
  grantedBy: string | null;
  grantedAt: string;
}

const site = (key: string) => `/api/admin/sites/${encodeURIComponent(key)}`;

export const listSites = () => call(() => untyped<{ items: SiteView[] }>('GET', '/api/admin/sites'));
export const getSite = (key: string) => call(() => untyped<SiteView>('GET', site(key)));
export const createSite = (body: { key: string; name: string; origins?: string[] }) =>
  call(() => untyped<SiteView>('POST', '/api/admin/sites', body));
export const updateSite = (key: string, body: { name?: string; origins?: string[]; identity?: SiteIdentityInput }) =>
  call(() => untyped<SiteView>('PATCH', site(key), body));
export const listMembers = (key: string) => call(() => untyped<{ items: MemberView[] }>('GET', `${site(key)}/members`));
export const grantRole = (key: string, body: { userSite: string; sub: string; role: SiteRole }) =>
  call(() => untyped<MemberView>('PUT', `${site(key)}/members`, body));
export const revokeRole = (key: string, userId: string) =>
  call(() => untyped<void>('DELETE', `${site(key)}/members/${encodeURIComponent(userId)}`));

/** The site of a queue item's article (`article.site`, given by the per-site moderators' routes). */
export const siteOfItem = (item: { article: object }): { key: string; name: string } | undefined =>
  (item.article as { site?: { key: string; name: string } }).site;
