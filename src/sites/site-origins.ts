import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment';
import { AppError, FieldError } from '../errors/app-error';
import { DEFAULT_SITE_ID, Site } from './site.entity';
import { SitesDirectory } from './sites.directory';

/** A bare origin as browsers send it: http(s), a host (a name, IPv4 or [IPv6]) and a port when not the default. */
const BARE_ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The origin `text` names, as browsers send it in the Origin header (lower case, the scheme's
 * default port left out), or null when it is not a bare http(s) origin (a path, a query or a user
 * name in it).
 */
export function normalizedOrigin(text: string): string | null {
  if (!/^https?:\/\/[^/?#@\\\s]+$/i.test(text)) return null;
  try {
    const origin = new URL(text).origin;
    return BARE_ORIGIN.test(origin) ? origin : null;
  } catch {
    return null;
  }
}

/** CORS_ORIGINS as the first site's origins, written as given (comma-separated). */
export function environmentOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** Whether the page's origin is the service's own host (the console, the demo pages). */
export function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The article auto-creation prefixes that lie under none of the origins: an embed on another
 * origin's page could otherwise make the site's articles. Nothing is outside when there are no origins.
 */
export function prefixesOutside(prefixes: readonly string[], origins: readonly string[]): string[] {
  if (origins.length === 0) return [];
  return prefixes.filter((prefix) => {
    try {
      return !origins.includes(new URL(prefix).origin);
    } catch {
      return true;
    }
  });
}

/**
 * Which page origins each site allows: its stored origins, and for the first site those of
 * CORS_ORIGINS. A site without any accepts every origin, as an installation without CORS_ORIGINS did.
 */
@Injectable()
export class SiteOrigins {
  readonly environment: readonly string[];
  private known?: { sites: Site[]; origins: Set<string> };

  constructor(
    env: Environment,
    private readonly sites: SitesDirectory,
  ) {
    this.environment = environmentOrigins(env.CORS_ORIGINS);
  }

  of(site: Site): string[] {
    if (site.id !== DEFAULT_SITE_ID) return site.origins;
    return [...new Set([...site.origins, ...this.environment])];
  }

  /** Whether some site allows the origin: CORS answers it (the refusal, if any, is then the site's). */
  async anySiteAllows(origin: string): Promise<boolean> {
    let sites: Site[];
    try {
      sites = await this.sites.all();
    } catch {
      // The database is away: the environment's origins still work; the request fails on its own.
      return this.environment.includes(origin);
    }
    if (this.known?.sites !== sites) {
      this.known = { sites, origins: new Set([...this.environment, ...sites.flatMap((site) => site.origins)]) };
    }
    return this.known.origins.has(origin);
  }

  /**
   * Refuses a request from another origin's page to a site that does not list that origin.
   * Same-origin requests and those without an Origin (servers, curl) always pass.
   */
  mustAllow(sites: readonly Site[], origin: string | undefined, host: string | undefined): void {
    if (origin === undefined || sameHost(origin, host)) return;
    for (const site of sites) {
      const allowed = this.of(site);
      if (allowed.length > 0 && !allowed.includes(origin)) {
        throw new AppError(
          403,
          'ORIGIN_NOT_ALLOWED',
          `Pages of ${origin.slice(0, 200)} may not use the site "${site.key}": an admin adds the origin to the site's origins`,
        );
      }
    }
  }

  /**
   * A 400 when one of the article auto-creation prefixes lies under none of the origins stored
   * for the site (CORS_ORIGINS alone binds nothing here, as before sites).
   */
  mustCover(site: Site, prefixes: readonly string[] | undefined): void {
    const outside = prefixesOutside(prefixes ?? [], site.origins);
    if (outside.length === 0) return;
    const message = `each of articleAutoCreatePrefixes must lie under one of the site's origins (${site.origins.join(', ')}); ${outside.join(', ')} does not`;
    const errors: FieldError[] = [{ field: 'articleAutoCreatePrefixes', messages: [message] }];
    throw AppError.validation(`articleAutoCreatePrefixes: ${message}`, errors);
  }
}
