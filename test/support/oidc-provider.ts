import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface OidcProviderOptions {
  clientId?: string;
  clientSecret?: string;
  redirectUris?: string[];
  /** Claims per login name, over the defaults (name "<login> name", email, email_verified true). */
  claims?: Record<string, Record<string, unknown>>;
}

export interface OidcProvider {
  issuer: string;
  jwksUrl: string;
  clientId: string;
  clientSecret: string;
  /** A token signed by the provider's current key (or the key kid), iss and a one-hour exp set; a claim given as null is left out. */
  mintToken(
    claims: Record<string, unknown>,
    options?: { kid?: string; header?: Record<string, unknown> },
  ): Promise<string>;
  /** Signs with a new key from now on; the old ones stay published unless dropOld. */
  rotateKeys(options?: { dropOld?: boolean; alg?: 'RS256' | 'ES256' | 'PS256' | 'EdDSA' }): Promise<{
    kid: string;
    published: string[];
  }>;
  /** Stops publishing one key: the provider can still mint with it (a forgery, as far as clients know). */
  dropKey(kid: string): Promise<{ published: string[] }>;
  keys(): Promise<{ signing: string; published: string[] }>;
  /** Requests to each path since the last resetCounts. */
  requests(): Promise<Record<string, number>>;
  resetCounts(): Promise<void>;
  /** Holds every request unanswered until resumeAnswering. */
  stopAnswering(): Promise<void>;
  resumeAnswering(): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = join(__dirname, 'oidc-provider', 'provider.mjs');

/** Starts a real OpenID provider in a child process (jest cannot load oidc-provider in its own). */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<OidcProvider> {
  const clientId = options.clientId ?? 'comment-desk';
  const clientSecret = options.clientSecret ?? 'a-client-secret-for-tests-only';
  const child = fork(SCRIPT, [JSON.stringify({ ...options, clientId, clientSecret })], {
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<{ issuer: string; jwksUrl: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { issuer: string; jwksUrl: string }));
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${stderr}`)));
  });
  const call = rpc(child);
  return {
    ...ready,
    clientId,
    clientSecret,
    mintToken: (claims, { kid, header } = {}) => call('mint', { claims, kid, header }) as Promise<string>,
    rotateKeys: (rotation = {}) => call('rotateKeys', rotation) as Promise<{ kid: string; published: string[] }>,
    dropKey: (kid) => call('dropKey', { kid }) as Promise<{ published: string[] }>,
    keys: () => call('keys') as Promise<{ signing: string; published: string[] }>,
    requests: () => call('requests') as Promise<Record<string, number>>,
    resetCounts: () => call('resetCounts') as Promise<void>,
    stopAnswering: () => call('stopAnswering') as Promise<void>,
    resumeAnswering: () => call('resumeAnswering') as Promise<void>,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ command: 'stop' });
      await exited;
    },
  };
}

function rpc(child: ChildProcess) {
  let next = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  });
  child.on('exit', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the OpenID provider exited'));
    pending.clear();
  });
  return (command: string, args?: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, command, args });
    });
}
