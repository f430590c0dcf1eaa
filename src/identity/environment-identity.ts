import { Environment } from '../config/environment';
import { IdentityVerifier } from './identity-verifier';
import { SiteIdentity } from './site-identity';

type JwtEnvironment = Pick<Environment, 'JWT_SECRET' | 'JWT_PUBLIC_KEY' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>;

/** The installation's own login, as the environment configures it: the default site's identity. */
export function environmentIdentity(env: JwtEnvironment): SiteIdentity {
  // The public key wins when both are set, as it always has.
  const identity: SiteIdentity = env.JWT_PUBLIC_KEY
    ? { publicKeys: [env.JWT_PUBLIC_KEY] }
    : { secrets: [env.JWT_SECRET!] };
  if (env.JWT_ISSUER) identity.issuer = env.JWT_ISSUER;
  if (env.JWT_AUDIENCE) identity.audience = env.JWT_AUDIENCE;
  return identity;
}

/**
 * The verifier of the installation's own login: one algorithm (RS256 with the public key, else
 * HS256) and our role names only, exactly as tokens were always checked.
 */
export function environmentVerifier(env: JwtEnvironment): IdentityVerifier {
  return new IdentityVerifier(environmentIdentity(env), {
    algorithms: [env.JWT_PUBLIC_KEY ? 'RS256' : 'HS256'],
    strictRoles: true,
  });
}
