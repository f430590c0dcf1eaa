import { signal } from '@preact/signals';

/** The console's place, kept in the URL fragment (`#/queue/pending`, `#/users/alice`): reloads and links keep it. */
export interface Route {
  page: string;
  /** The path's further parts, decoded (`#/users/a%2Fb` → ['a/b']). */
  parts: string[];
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = '', ...parts] = path.split('/').map((p) => decodeURIComponent(p));
  return { page: page || 'queue', parts, params: new URLSearchParams(query) };
}

export const route = signal<Route>(parseRoute(location.hash));
addEventListener('hashchange', () => (route.value = parseRoute(location.hash)));

/** A link's href for a place in the console; it keeps the site chosen (`site`) unless told another. */
export function href(page: string, parts: string[] = [], params?: Record<string, string | undefined>): string {
  const path = [page, ...parts].map(encodeURIComponent).join('/');
  const site = route.value.params.get('site') ?? undefined;
  const query = new URLSearchParams(
    Object.entries({ site, ...params }).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

export function go(target: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', `${location.pathname}${location.search}${target}`);
    route.value = parseRoute(location.hash);
  } else location.hash = target;
}
