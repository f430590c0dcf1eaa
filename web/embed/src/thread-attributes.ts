import type { Sort } from './thread-state';

// What the element's attributes say, read leniently: a value the embed cannot use is as if not given.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path (`/news/a`) is the article at that path of the page's own site; a full URL stays as it is. */
export function articleUrlOf(value: string | null): string | null {
  try {
    return value ? new URL(value, document.baseURI).href : null;
  } catch {
    return value;
  }
}

export const articleIdOf = (value: string | null): string | null => (value && UUID.test(value) ? value : null);

export const sortOf = (value: string | null): Sort => (value === 'oldest' ? 'oldest' : 'newest');

/** The key of the site the thread is on; null: the installation's first site. */
export const siteOf = (value: string | null): string | null => value?.trim() || null;

/** How often to read the first page again when the live stream is down: 15 s unless said, 2 s at least. */
export const pollMsOf = (value: string | null): number => Math.max(2, Number(value) || 15) * 1000;

/** The attributes the element follows: a change to any of them is applied at once. */
export const THREAD_ATTRIBUTES = [
  'article-url',
  'article-id',
  'article-title',
  'token',
  'lang',
  'sort',
  'api',
  'site',
  'poll-seconds',
];
