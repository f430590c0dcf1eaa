import type { Reader } from './thread-state';

/** The reader a token names (its `sub` and `name` claims); the service checks the token itself. */
export function readerOf(token: string | null): Reader | null {
  try {
    const part = token!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims.sub === 'string' ? { id: claims.sub, name: String(claims.name ?? claims.sub) } : null;
  } catch {
    return null;
  }
}
