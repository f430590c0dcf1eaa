import { computed, signal } from '@preact/signals';
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';
import { token, tokenRefused } from '../session';

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
const auth: Middleware = {
  onRequest({ request }) {
    if (token.value) request.headers.set('Authorization', `Bearer ${token.value}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) tokenRefused.value = true;
    return response;
  },
};

/** The API, typed from the OpenAPI document the service serves (docs/openapi.json). */
export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

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
