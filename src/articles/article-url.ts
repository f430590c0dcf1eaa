import type { ModerationSettings, TrailingSlashPolicy } from '../settings/moderation-settings.entity';

/**
 * One article, one URL: the form an article's URL is stored, looked up and matched against the
 * settings' prefixes in, whatever form a reader's browser, a share link or a crafted request sent.
 */

/** What tells two articles apart beyond their path, from the settings. */
export interface ArticleUrlPolicy {
  /** The query parameters that name an article (`p` of `?p=123`); every other one is dropped. */
  queryParams: readonly string[];
  /** `/a/` and `/a` are one article stored as `/a` (strip) or `/a/` (add), or two articles (keep). */
  trailingSlash: TrailingSlashPolicy;
}

export const urlPolicy = (settings: ModerationSettings): ArticleUrlPolicy => ({
  queryParams: settings.articleUrlQueryParams,
  trailingSlash: settings.articleUrlTrailingSlash,
});

export class ArticleUrlError extends Error {}

// RFC 3986's unreserved characters: the only ones whose percent-encoded form means the same.
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Why `url` cannot be an article's URL, or null when it can. */
export function articleUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
  // A lenient reader of `https://news.example@evil.example/` goes to evil.example.
  if (parsed.username !== '' || parsed.password !== '' || /^[^/?#]*\/\/[^/?#]*@/.test(url))
    return 'must not hold a user name or password (an "@" before the host)';
  return null;
}

/**
 * The stored form of an article's URL: scheme and host in lower case without the default port,
 * dot segments resolved, repeated slashes made one, percent-encoding in one form (unreserved
 * characters decoded, the rest in upper-case hex; an encoded "/" stays encoded, as decoding it
 * would change the path), the trailing slash and the query parameters as the policy says (the
 * ones kept in name order), and no fragment. Throws ArticleUrlError for what articleUrlProblem refuses.
 */
export function normalizeArticleUrl(url: string, policy: ArticleUrlPolicy): string {
  const problem = articleUrlProblem(url);
  if (problem) throw new ArticleUrlError(`The url ${problem}`);
  const parsed = new URL(url);
  const path = withTrailingSlash(normalizePath(parsed.pathname), policy.trailingSlash);
  const kept = [...parsed.searchParams].filter(([name]) => policy.queryParams.includes(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  return `${parsed.protocol}//${parsed.host}${path}${query ? `?${query}` : ''}`;
}

/**
 * Whether the normalized `url` lies under `prefix` (one of the settings' articleAutoCreatePrefixes)
 * by whole path segments, with at least one more segment: `https://news.example/blog/` holds
 * `https://news.example/blog/a`, not `https://news.example/blog` nor `https://news.example/blogs/a`.
 */
export function isUnderPrefix(url: string, prefix: string): boolean {
  let base: URL;
  let target: URL;
  try {
    [base, target] = [new URL(prefix), new URL(url)];
  } catch {
    return false;
  }
  if (base.protocol !== target.protocol || base.host !== target.host || base.username || base.password) return false;
  const basePath = normalizePath(base.pathname);
  const within = basePath.endsWith('/') ? basePath : `${basePath}/`;
  return target.pathname.startsWith(within) && target.pathname.length > within.length;
}

/**
 * Whether every reader of the normalized `url` finds the same path in it: not so when it holds an
 * encoded slash or backslash (a server that decodes them sees other segments) or an "@" (a
 * lenient parser takes what comes before it for a user name, and the rest for the host).
 */
export function readsAlikeEverywhere(url: string): boolean {
  return !/%2F|%5C|@/i.test(new URL(url).pathname);
}

/**
 * The URLs under which the article at `url` may be stored, best first: `url` as given (an article
 * stored before URLs were normalized), its normalized form, and that form with the other trailing
 * slash when the policy makes the slash insignificant (articles stored under an earlier policy).
 */
export function lookupCandidates(url: string, policy: ArticleUrlPolicy): string[] {
  let normalized: string;
  try {
    normalized = normalizeArticleUrl(url, policy);
  } catch {
    return [url];
  }
  const candidates = [url, normalized];
  if (policy.trailingSlash !== 'keep') {
    const other = normalizeArticleUrl(normalized, {
      ...policy,
      trailingSlash: policy.trailingSlash === 'strip' ? 'add' : 'strip',
    });
    candidates.push(other);
  }
  return [...new Set(candidates)];
}

/** A WHATWG-parsed path (dot segments already resolved) with one slash between segments and one percent-encoding. */
function normalizePath(pathname: string): string {
  return pathname.replace(/\/{2,}/g, '/').replace(/%([0-9A-Fa-f]{2})|%/g, (match, hex?: string) => {
    if (hex === undefined) return '%25'; // a "%" that encodes nothing
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function withTrailingSlash(path: string, policy: TrailingSlashPolicy): string {
  if (path === '/' || policy === 'keep') return path;
  const bare = path.replace(/\/+$/, '');
  return policy === 'add' ? `${bare}/` : bare;
}
