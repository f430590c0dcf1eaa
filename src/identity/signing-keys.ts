import * as jose from 'jose';
import * as oidc from 'openid-client';
import { createPublicKey } from 'node:crypto';
import { providerUrlProblem } from './site-identity.dto';
import { SiteIdentity } from './site-identity';

export interface SigningKeyOptions {
  /** http:// URLs on this machine (a test's provider); https only otherwise. */
  allowHttpLoopback?: boolean;
  /** How long a fetch of the key set may take. Default 5 s (discovery: in whole seconds, at least 1). */
  fetchTimeoutMs?: number;
  /** After a fetch, success or not, no other before this long, whatever kids arrive. Default 30 s. */
  refetchCooldownMs?: number;
  /** Keys older than this are fetched again in the background; the old ones serve meanwhile. Default 10 min. */
  refreshAfterMs?: number;
}

/** The provider could not be asked for its keys: the token may be good, we cannot tell now. */
export class ProviderUnreachable extends Error {}
/** The site's configuration cannot work (an http URL where https is needed). */
export class UnusableIdentity extends Error {}

type Resolver = (header: jose.JWSHeaderParameters) => Promise<jose.CryptoKey>;

/**
 * Where the public keys that verify a site's tokens come from: PEM keys given by the admin, and a
 * JSON Web Key Set (its URL given, or found by discovery). The set's keys are kept when its
 * provider stops answering: a token whose key is known keeps verifying.
 */
export class SigningKeys {
  private readonly pemKeys?: Resolver;
  private remote?: ReturnType<typeof jose.createRemoteJWKSet>;
  private remoteLoaded = false;
  private lastFetch = -Infinity;
  private lastRefresh = 0;
  private discovery?: { jwksUri: Promise<URL>; failedAt?: number };
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly refreshAfterMs: number;

  constructor(
    private readonly identity: SiteIdentity,
    private readonly options: SigningKeyOptions = {},
  ) {
    this.timeoutMs = options.fetchTimeoutMs ?? 5_000;
    this.cooldownMs = options.refetchCooldownMs ?? 30_000;
    this.refreshAfterMs = options.refreshAfterMs ?? 600_000;
    if (identity.publicKeys?.length) {
      const keys = identity.publicKeys.map((pem) => createPublicKey(pem).export({ format: 'jwk' }) as jose.JWK);
      this.pemKeys = jose.createLocalJWKSet({ keys });
    }
    if (identity.jwksUrl) this.remote = this.remoteSet(this.checkedUrl(identity.jwksUrl));
  }

  /** Whether a key set is read from the provider (given, or to be discovered). */
  get hasRemoteKeys(): boolean {
    return this.remote !== undefined || this.discovers;
  }

  private get discovers(): boolean {
    const { issuer, jwksUrl, publicKeys, secrets } = this.identity;
    return Boolean(issuer) && !jwksUrl && !publicKeys?.length && !secrets?.length;
  }

  /** Keys that may have signed a token with this header: the PEM keys first, then the provider's. */
  async *candidates(header: jose.JWSHeaderParameters): AsyncGenerator<jose.CryptoKey> {
    // A PEM key has no kid: it is matched by its type and the algorithm alone.
    if (this.pemKeys) yield* matching(this.pemKeys, { alg: header.alg });
    if (this.hasRemoteKeys) yield* matching((h) => this.fromProvider(h), header);
  }

  private async fromProvider(header: jose.JWSHeaderParameters): Promise<jose.CryptoKey> {
    const remote = await this.remoteKeys();
    if (!this.remoteLoaded) await this.fetchKeys(remote);
    else if (Date.now() - this.lastRefresh > this.refreshAfterMs && !remote.reloading) {
      // Not awaited: the keys in hand verify this token; a failing provider keeps them.
      this.lastRefresh = Date.now();
      remote.reload().catch(() => undefined);
    }
    try {
      return await remote(header);
    } catch (error) {
      // A kid not seen yet: a rotation, or a forgery. One fetch per cooldown, whichever.
      if (!(error instanceof jose.errors.JWKSNoMatchingKey) || Date.now() - this.lastFetch < this.cooldownMs)
        throw error;
      await this.fetchKeys(remote);
      return remote(header);
    }
  }

  private async fetchKeys(remote: ReturnType<typeof jose.createRemoteJWKSet>): Promise<void> {
    if (!remote.reloading && Date.now() - this.lastFetch < this.cooldownMs && !this.remoteLoaded) {
      throw new ProviderUnreachable('the key set could not be fetched lately');
    }
    if (!remote.reloading) this.lastFetch = Date.now();
    try {
      await remote.reload();
    } catch (error) {
      throw new ProviderUnreachable('the key set could not be fetched', { cause: error });
    }
    this.remoteLoaded = true;
    this.lastRefresh = Date.now();
  }

  private async remoteKeys(): Promise<ReturnType<typeof jose.createRemoteJWKSet>> {
    if (this.remote) return this.remote;
    const failedAt = this.discovery?.failedAt;
    if (!this.discovery || (failedAt !== undefined && Date.now() - failedAt >= this.cooldownMs)) {
      const attempt: { jwksUri: Promise<URL>; failedAt?: number } = { jwksUri: this.discover() };
      attempt.jwksUri.catch(() => (attempt.failedAt = Date.now()));
      this.discovery = attempt;
    }
    const jwksUri = await this.discovery.jwksUri;
    this.remote ??= this.remoteSet(jwksUri);
    return this.remote;
  }

  /** The issuer's jwks_uri, read once; after a failure, tried again once the cooldown has passed. */
  private async discover(): Promise<URL> {
    try {
      const issuer = this.checkedUrl(this.identity.issuer!);
      const config = await oidc.discovery(
        issuer,
        this.identity.signIn?.clientId ?? 'comment-desk',
        undefined,
        undefined,
        {
          timeout: Math.max(1, Math.ceil(this.timeoutMs / 1000)),
          execute: this.options.allowHttpLoopback ? [oidc.allowInsecureRequests] : [],
        },
      );
      const jwksUri = config.serverMetadata().jwks_uri;
      if (!jwksUri) throw new UnusableIdentity('the discovery document names no jwks_uri');
      return this.checkedUrl(jwksUri);
    } catch (error) {
      if (error instanceof UnusableIdentity) throw error;
      throw new ProviderUnreachable('the discovery document could not be read', { cause: error });
    }
  }

  private remoteSet(url: URL) {
    // Never expired by age nor refetched by jose itself: fetchKeys decides when, and keeps the old
    // keys when a fetch fails.
    return jose.createRemoteJWKSet(url, {
      timeoutDuration: this.timeoutMs,
      cooldownDuration: Infinity,
      cacheMaxAge: Infinity,
    });
  }

  private checkedUrl(value: string): URL {
    const problem = providerUrlProblem(value);
    const url = problem === null ? new URL(value) : null;
    if (!url || (url.protocol === 'http:' && !this.options.allowHttpLoopback)) {
      throw new UnusableIdentity(`the identity provider's URL ${problem ?? 'must be an https URL'}`);
    }
    return url;
  }
}

/** The keys a JWK set gives for a header: one, or each of several that match (no kid). */
async function* matching(set: Resolver, header: jose.JWSHeaderParameters): AsyncGenerator<jose.CryptoKey> {
  let key: jose.CryptoKey;
  try {
    key = await set(header);
  } catch (error) {
    if (error instanceof jose.errors.JWKSMultipleMatchingKeys) {
      for await (const each of error as unknown as AsyncIterable<jose.CryptoKey>) yield each;
      return;
    }
    if (error instanceof jose.errors.JWKSNoMatchingKey) return;
    throw error;
  }
  yield key;
}
