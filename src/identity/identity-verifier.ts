import * as jose from 'jose';
import { AppError } from '../errors/app-error';
import { ClaimMapping, toVerifiedIdentity, VerifiedIdentity } from './identity-claims';
import { SiteIdentity } from './site-identity';
import { ProviderUnreachable, SigningKeyOptions, SigningKeys, UnusableIdentity } from './signing-keys';

export type { VerifiedIdentity } from './identity-claims';

/** Signed with a key pair; HS256 is the only shared-secret algorithm, and only with secrets. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export interface IdentityVerifierOptions extends SigningKeyOptions {
  /** Narrows the algorithms accepted (the installation's own login: exactly the one it uses). */
  algorithms?: string[];
  /** See ClaimMapping.strictRoles. */
  strictRoles?: boolean;
  /** Tokens remembered as verified; past this many, forgotten all at once. Default 20,000. */
  maxCachedTokens?: number;
}

/**
 * Verifies the tokens of one site's identity provider. A token's algorithm decides its keys:
 * HS256 only the site's secrets, the asymmetric ones only public keys (PEM, JWKS or discovery),
 * so a token signed with a public key's bytes as an HMAC secret never meets that key.
 */
export class IdentityVerifier {
  private readonly keys: SigningKeys;
  private readonly secrets: Uint8Array[];
  private readonly algorithms: Set<string>;
  private readonly mapping: ClaimMapping;
  private readonly maxCached: number;
  private readonly verified = new Map<string, VerifiedIdentity>();
  private readonly unusable: string | null = null;

  constructor(
    private readonly identity: SiteIdentity,
    options: IdentityVerifierOptions = {},
  ) {
    this.secrets = (identity.secrets ?? []).map((secret) => new TextEncoder().encode(secret));
    let keys: SigningKeys | undefined;
    try {
      keys = new SigningKeys(identity, options);
    } catch (error) {
      if (!(error instanceof UnusableIdentity)) throw error;
      this.unusable = error.message;
    }
    this.keys = keys ?? new SigningKeys({});
    const usable = [
      ...(this.secrets.length ? ['HS256'] : []),
      ...(identity.publicKeys?.length || this.keys.hasRemoteKeys ? ASYMMETRIC_ALGORITHMS : []),
    ];
    this.algorithms = new Set(usable.filter((alg) => !options.algorithms || options.algorithms.includes(alg)));
    this.mapping = { claims: identity.claims, roles: identity.roles, strictRoles: options.strictRoles };
    this.maxCached = options.maxCachedTokens ?? 20_000;
  }

  /** Who the token's bearer is; an AppError (401) saying why when the token cannot be believed. */
  async verify(token: string): Promise<VerifiedIdentity> {
    // A reader sends the same token with every request: its signature is checked once, and it is
    // believed again until its exp (nothing else about a verified token can change).
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAt) return known;
    const identity = Object.freeze(await this.verifyNow(token));
    if (this.verified.size >= this.maxCached) this.verified.clear();
    this.verified.set(token, identity);
    return identity;
  }

  private async verifyNow(token: string): Promise<VerifiedIdentity> {
    if (this.unusable !== null) {
      throw AppError.unauthenticated(`This site's sign-in is misconfigured (${this.unusable}): tell its admins`);
    }
    let claims: jose.JWTPayload;
    try {
      const header = jose.decodeProtectedHeader(token);
      const { alg } = header;
      // alg none, and any algorithm this site has no keys for, are refused before any key is looked at.
      if (typeof alg !== 'string' || !this.algorithms.has(alg)) throw new Error('algorithm not accepted');
      claims = alg === 'HS256' ? await this.withSecrets(token) : await this.withPublicKeys(token, header, alg);
    } catch (error) {
      throw AppError.unauthenticated(refusal(error));
    }
    // A token that never expires would be a password that cannot be changed: the login must set exp.
    if (typeof claims.exp !== 'number')
      throw AppError.unauthenticated('The bearer token has no exp claim: tokens must say when they expire');
    // (A token that is not yet valid, nbf, was refused: it is not cached before it becomes valid.)
    return toVerifiedIdentity(claims, this.mapping, claims.exp * 1000);
  }

  private get claimChecks(): jose.JWTVerifyOptions {
    return { issuer: this.identity.issuer || undefined, audience: this.identity.audience || undefined };
  }

  /** Each secret in turn: during a rotation, the new one and the old one both verify. */
  private async withSecrets(token: string): Promise<jose.JWTPayload> {
    let failure: unknown;
    for (const secret of this.secrets) {
      try {
        return (await jose.jwtVerify(token, secret, { ...this.claimChecks, algorithms: ['HS256'] })).payload;
      } catch (error) {
        if (!(error instanceof jose.errors.JWSSignatureVerificationFailed)) throw error;
        failure = error;
      }
    }
    throw failure;
  }

  private async withPublicKeys(
    token: string,
    header: jose.ProtectedHeaderParameters,
    alg: string,
  ): Promise<jose.JWTPayload> {
    let failure: unknown = new jose.errors.JWKSNoMatchingKey();
    for await (const key of this.keys.candidates(header)) {
      try {
        return (await jose.jwtVerify(token, key, { ...this.claimChecks, algorithms: [alg] })).payload;
      } catch (error) {
        if (!(error instanceof jose.errors.JWSSignatureVerificationFailed)) throw error;
        failure = error;
      }
    }
    throw failure;
  }
}

/** What the client should do about a token that was refused. */
function refusal(error: unknown): string {
  if (error instanceof jose.errors.JWTExpired) return 'The bearer token has expired: sign in again';
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return 'The bearer token is not valid yet (nbf)';
    if (error.claim === 'iss') return "The bearer token was issued by another issuer than this site's";
    if (error.claim === 'aud') return 'The bearer token is meant for another audience than this site';
  }
  if (error instanceof jose.errors.JWKSNoMatchingKey)
    return 'The bearer token is signed with a key this site does not know';
  if (error instanceof ProviderUnreachable || error instanceof jose.errors.JWKSTimeout) {
    return "This site's identity provider could not be reached to check the bearer token: try again shortly";
  }
  if (error instanceof UnusableIdentity)
    return `This site's sign-in is misconfigured (${error.message}): tell its admins`;
  return 'The bearer token is not valid';
}
