import { AppError } from '../errors/app-error';
import { SITE_KEY_PATTERN } from './site.entity';

/**
 * The header by which a client names the site whose login signed its token: the embed sends its
 * site's key, the console the site its moderator signed in with. Without it, the first site.
 */
export const SITE_HEADER = 'comment-desk-site';

/** Which sites a request acts on (`?site=`): one by key, every one the caller may see, or (unnamed) the header's. */
export type SiteChoice = { key: string } | 'all' | undefined;

export function siteHeaderOf(headers: Record<string, unknown>): string | undefined {
  const named = headers[SITE_HEADER];
  if (named === undefined || named === '') return undefined;
  if (typeof named !== 'string' || !SITE_KEY_PATTERN.test(named)) {
    throw AppError.validation(`The ${SITE_HEADER} header must be a site key (a-z, 0-9, -)`, [
      { field: SITE_HEADER, messages: ['must be a site key'] },
    ]);
  }
  return named;
}

export function siteChoiceOf(query: unknown): SiteChoice {
  const named = (query as Record<string, unknown> | undefined)?.site;
  if (named === undefined || named === '') return undefined;
  if (named === 'all') return 'all';
  if (typeof named !== 'string' || !SITE_KEY_PATTERN.test(named)) {
    throw AppError.validation('site must be a site key (a-z, 0-9, -) or "all"', [
      { field: 'site', messages: ['must be a site key or "all"'] },
    ]);
  }
  return { key: named };
}
