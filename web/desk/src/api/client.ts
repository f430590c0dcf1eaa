import { computed, signal } from '@preact/signals';
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';
import { token, tokenRefused } from '../session';
import { identitySite, siteOfRequest } from '../site-choice';

export type Schemas = components['schemas'];
export type QueueItem = Schemas['QueueItemView'];
export type Comment = Schemas['CommentView'];
export type LogEntry = Schemas['LogEntryView'];
export type Article = Schemas['ArticleView'];
export type Settings = Schemas['SettingsView'];
export type ModeratedUser = Schemas['ModeratedUserView'];
export type BannedUser = Schemas['BannedUserView'];
export type Problem = Schemas['Problem'];

/** Calls waiting to try again because the API could not be reached (or answered 503). */
const retrying = signal(0);
/**
 * False while any call is retrying: the console says so. Derived from the calls themselves, so
 * that another request's answer does not hide one that still fails.
 */
export const reachable = computed(() => retrying.value === 0);
/** A request about one site's thing (a card's comment under "All my sites") names it in this header; sent as `?site=`. */
export const SITE_OF = 'X-Desk-Site-Of';
export const onSite = (key: string | null | undefined) => ({ headers: key ? { [SITE_OF]: key } : {} });

const auth: Middleware = {
  async onRequest({ request }) {
    if (token.value) request.headers.set('Authorization', `Bearer ${token.value}`);
    if (identitySite.value) request.headers.set('Comment-Desk-Site', identitySite.value);
    const url = new URL(request.url);
    const site = request.headers.get(SITE_OF) ?? siteOfRequest(request.method, url.pathname);
    request.headers.delete(SITE_OF);
    if (!site || url.searchParams.has('site')) return request;
    url.searchParams.set('site', site);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    return new Request(url, {
      method: request.method,
      headers: request.headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: request.signal,
    });
  },
  onResponse({ response }) {
    if (response.status === 401) tokenRefused.value = true;
    return response;
  },
};

/** The API, typed from the OpenAPI document the service serves (docs/openapi.json). */
export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/**
 * A call to a path that docs/openapi.json does not describe yet (the admin API for sites),
 * through the same middleware; shaped like openapi-fetch's answers for `call`.
 */
export async function untyped<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ data?: T; error?: unknown; response: Response }> {
  let request = new Request(new URL(path, location.origin), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  request = ((await auth.onRequest!({ request } as never)) as Request | undefined) ?? request;
  const response = await fetch(request);
  auth.onResponse!({ response } as never);
  const json = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  return response.ok ? { data: json as T, response } : { error: json, response };
}

/** A problem the API answered with, or a network failure, as one error the views can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? problem.title ?? `The service answered with an error (HTTP ${status})`);
  }
}

/**
 * The data of a call, or an ApiError. While the API is unreachable it waits and tries again (up
 * to `attempts` times), so that nothing the moderator asked for is lost to a short outage.
 */
export async function call<T>(
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  attempts = 30,
): Promise<T> {
  let waiting = false;
  const setWaiting = (now: boolean) => {
    if (now !== waiting) retrying.value += now ? 1 : -1;
    waiting = now;
  };
  try {
    for (let attempt = 1; ; attempt++) {
      let result: { data?: T; error?: unknown; response: Response };
      try {
        result = await run();
      } catch {
        if (attempt >= attempts) throw new ApiError(0, { title: 'The service cannot be reached' });
        setWaiting(true);
        await retryDelay(attempt);
        continue;
      }
      const { data, error, response } = result;
      if (response.status === 503 && attempt < attempts) {
        setWaiting(true);
        await retryDelay(attempt, Number(response.headers.get('Retry-After')) || undefined);
        continue;
      }
      setWaiting(false);
      if (response.status === 401) {
        await whenSignedIn(); // the moderator is asked for a new token; then the same request goes again
        attempt = 0;
        continue;
      }
      if (response.ok) return data as T;
      throw new ApiError(response.status, (error ?? {}) as Partial<Problem>);
    }
  } finally {
    setWaiting(false);
  }
}

function retryDelay(attempt: number, seconds?: number): Promise<void> {
  const ms = seconds ? seconds * 1000 : Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
  return new Promise((resolve) => setTimeout(resolve, ms * (0.75 + Math.random() / 2)));
}

/** Resolves when the token works again (after the moderator gave a new one). */
export function whenSignedIn(): Promise<void> {
  if (!tokenRefused.value) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = tokenRefused.subscribe((refused) => {
      if (!refused) {
        queueMicrotask(() => stop());
        resolve();
      }
    });
  });
}
