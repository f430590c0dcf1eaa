import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment';
import { environmentVerifier } from '../identity/environment-identity';
import { IdentityVerifier, VerifiedIdentity } from '../identity/identity-verifier';
import { SiteIdentity } from '../identity/site-identity';
import { userIdOf } from '../sites/site-users';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { AuthUser } from './access.decorator';
import { SessionTokens } from './session-tokens';

/**
 * Verifies a request's token by the login of its site: Comment Desk's own sessions, or the
 * site's identity (the environment's keys for the first site, with any an admin stored beside them).
 * Each verifier remembers the tokens it verified until they expire.
 */
@Injectable()
export class TokenVerifier {
  private readonly verifiers = new Map<number, { version: number; verifiers: IdentityVerifier[] }>();
  private readonly ownLogin: IdentityVerifier;

  constructor(
    env: Environment,
    private readonly sessions: SessionTokens,
  ) {
    this.ownLogin = environmentVerifier(env);
  }

  async verify(token: string, site: Site): Promise<AuthUser> {
    if (SessionTokens.isOurs(token)) return (await this.sessions.verify(token, site)).user;
    const [first, ...others] = this.verifiersOf(site);
    let verified: VerifiedIdentity;
    try {
      verified = await first.verify(token);
    } catch (error) {
      // (The first site's stored keys, beside the environment's: tried when the environment's refuse.)
      const other = others[0];
      if (!other) throw error;
      verified = await other.verify(token).catch(() => Promise.reject(error));
    }
    return {
      id: userIdOf(site, verified.sub),
      name: verified.name,
      role: verified.role,
      siteId: site.id,
      email: verified.email,
      emailVerified: verified.emailVerified,
    };
  }

  private verifiersOf(site: Site): IdentityVerifier[] {
    const known = this.verifiers.get(site.id);
    if (known && known.version === site.version) return known.verifiers;
    const identity = site.identity as SiteIdentity;
    const stored = hasKeys(identity) ? [new IdentityVerifier(identity, { allowHttpLoopback: true })] : [];
    const verifiers = site.id === DEFAULT_SITE_ID ? [this.ownLogin, ...stored] : stored;
    if (verifiers.length === 0) verifiers.push(new IdentityVerifier({}));
    this.verifiers.set(site.id, { version: site.version, verifiers });
    return verifiers;
  }
}

const hasKeys = (identity: SiteIdentity) =>
  Boolean(identity.secrets?.length || identity.publicKeys?.length || identity.jwksUrl || identity.issuer);
