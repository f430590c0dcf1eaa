import { createHash } from 'node:crypto';

/**
 * How a site's readers and staff prove who they are: where the keys that sign their tokens come
 * from, and which claims say their id, name and role. Stored as it is (jsonb); secrets included.
 *
 * Keys come from `secrets` (HS256), `publicKeys` and `jwksUrl`; when none of these is given,
 * from the issuer's discovery document (its jwks_uri).
 */
export interface SiteIdentity {
  /** OIDC issuer: tokens must carry it as iss; without other keys, discovery gives the JWKS. */
  issuer?: string;
  /** A JSON Web Key Set URL, read without discovery. */
  jwksUrl?: string;
  /** PEM public keys (SPKI, or PKCS#1 for RSA): several during a rotation. */
  publicKeys?: string[];
  /** HS256 shared secrets: several during a rotation. */
  secrets?: string[];
  /** Required aud when set. */
  audience?: string;
  /** OpenID Connect sign-in of readers (needs issuer). */
  signIn?: SiteSignIn;
  /** Claim names, dotted paths allowed ("realm_access.roles"); a claim name with dots is tried whole first. */
  claims?: ClaimNames;
  /** Values of the role claim that mean moderator or admin; any other value means commenter. */
  roles?: RoleValues;
  /** Readers may sign in by a link emailed to them (when this installation sends email). */
  emailLinks?: boolean;
}

export interface SiteSignIn {
  clientId: string;
  clientSecret?: string;
  scopes?: string[];
}

export interface ClaimNames {
  /** Default sub. */
  id?: string;
  /** Default name. */
  name?: string;
  /** Default role. */
  role?: string;
  /** Default email. */
  email?: string;
  /** Default email_verified. */
  emailVerified?: string;
  /** No default: no badges unless named. */
  badges?: string;
}

export interface RoleValues {
  /** Default ['moderator']. */
  moderator?: string[];
  /** Default ['admin']. */
  admin?: string[];
}

/** What clients may see of a site's identity: secrets are replaced by short fingerprints. */
export interface PublicSiteIdentity extends Omit<SiteIdentity, 'secrets' | 'signIn'> {
  /** SHA-256 of each secret, first 12 hex digits: enough to tell which one is set, not to guess it. */
  secretFingerprints?: string[];
  signIn?: Omit<SiteSignIn, 'clientSecret'> & { clientSecretFingerprint?: string };
}

export const fingerprint = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);

/** A site's identity as an admin may read it back: secrets are write-only. */
export function publicSiteIdentity(identity: SiteIdentity): PublicSiteIdentity {
  const { secrets, signIn, ...rest } = identity;
  const shown: PublicSiteIdentity = { ...rest };
  if (secrets !== undefined) shown.secretFingerprints = secrets.map(fingerprint);
  if (signIn !== undefined) {
    const { clientSecret, ...client } = signIn;
    shown.signIn =
      clientSecret === undefined ? client : { ...client, clientSecretFingerprint: fingerprint(clientSecret) };
  }
  return shown;
}
