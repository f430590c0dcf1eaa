import { ApiProperty } from '@nestjs/swagger';
import { fingerprint } from '../identity/site-identity';
import { GRANTED_ROLES, GrantedRole } from '../sites/site-member.entity';
import type { Site } from '../sites/site.entity';

export class SiteSignInView {
  clientId: string;
  scopes?: string[];
  /** Present when a client secret is stored (which is never sent back). */
  clientSecretFingerprint?: string;
}

export class ClaimNamesView {
  id?: string;
  name?: string;
  role?: string;
  email?: string;
  emailVerified?: string;
  badges?: string;
}

export class RoleValuesView {
  moderator?: string[];
  admin?: string[];
}

/** A site's identity as it may be read back: secrets are write-only, shown by fingerprints. */
export class SiteIdentityView {
  issuer?: string;
  jwksUrl?: string;
  publicKeys?: string[];
  /** One per stored HS256 secret, in their order (the first signs). */
  secretFingerprints?: string[];
  audience?: string;
  signIn?: SiteSignInView;
  claims?: ClaimNamesView;
  roles?: RoleValuesView;
  /** Readers may sign in by a link emailed to them. */
  emailLinks?: boolean;
}

interface StoredIdentity {
  issuer?: string;
  jwksUrl?: string;
  publicKeys?: string[];
  secrets?: string[];
  audience?: string;
  signIn?: { clientId: string; clientSecret?: string; scopes?: string[] };
  claims?: ClaimNamesView;
  roles?: RoleValuesView;
}

export function identityView(identity: object): SiteIdentityView {
  const { secrets, signIn, ...rest } = identity as StoredIdentity;
  const shown: SiteIdentityView = { ...rest };
  if (secrets !== undefined) shown.secretFingerprints = secrets.map(fingerprint);
  if (signIn !== undefined) {
    const { clientSecret, ...client } = signIn;
    shown.signIn =
      clientSecret === undefined ? client : { ...client, clientSecretFingerprint: fingerprint(clientSecret) };
  }
  return shown;
}

export class SiteView {
  id: number;
  key: string;
  name: string;
  /** The origins stored for the site (scheme://host[:port]); empty: pages of any origin may use it. */
  origins: string[];
  /** The first site only: the origins of CORS_ORIGINS, which count too and are changed in the environment. */
  environmentOrigins: string[];
  identity: SiteIdentityView;
  @ApiProperty({
    enum: GRANTED_ROLES,
    description: "The caller's role on the site (an organisation admin is admin of every site here)",
  })
  role: GrantedRole;
  createdAt: Date;
  updatedAt: Date;

  static of(site: Site, role: GrantedRole, environmentOrigins: readonly string[]): SiteView {
    return Object.assign(new SiteView(), {
      id: site.id,
      key: site.key,
      name: site.name,
      origins: site.origins,
      environmentOrigins: [...environmentOrigins],
      identity: identityView(site.identity),
      role,
      createdAt: site.createdAt,
      updatedAt: site.updatedAt,
    });
  }
}

export class SiteListView {
  items: SiteView[];
}

export class SiteMemberView {
  userId: string;
  /** As the user's login last gave it; null until they sign in. */
  name: string | null;
  /** The key of the site whose login vouches for the user. */
  userSite: string;
  @ApiProperty({ enum: GRANTED_ROLES })
  role: GrantedRole;
  /** Who granted it. */
  grantedBy: string | null;
  grantedAt: Date;
}

export class SiteMemberListView {
  items: SiteMemberView[];
}
