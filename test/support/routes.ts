import type { TestApp } from './test-app';

export type Level = 'public' | 'user' | 'moderator' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Every route of the API and who may call it. The platform test checks it against the app's own
 * route table, so a route added without a line here fails the suite; the fuzz tests walk it.
 */
export const ROUTES: [Method, string, Level][] = [
  ['GET', '/api/health', 'public'],
  ['GET', '/api/metrics', 'public'],
  ['POST', '/api/articles', 'moderator'],
  ['POST', '/api/articles/resolve', 'public'],
  ['GET', '/api/articles', 'moderator'],
  ['GET', '/api/articles/:id', 'public'],
  ['PATCH', '/api/articles/:id', 'moderator'],
  ['POST', '/api/articles/:id/close', 'moderator'],
  ['POST', '/api/articles/:id/reopen', 'moderator'],
  ['GET', '/api/articles/:id/comments', 'public'],
  ['GET', '/api/articles/:id/comments/stream', 'public'],
  ['POST', '/api/articles/:id/comments', 'user'],
  ['GET', '/api/comments/:id/replies', 'public'],
  ['GET', '/api/comments/:id/context', 'public'],
  ['GET', '/api/comments/:id', 'public'],
  ['PATCH', '/api/comments/:id', 'user'],
  ['DELETE', '/api/comments/:id', 'user'],
  ['POST', '/api/comments/:id/reports', 'user'],
  ['GET', '/api/moderation/queue/:queue', 'moderator'],
  ['POST', '/api/moderation/comments/:id/approve', 'moderator'],
  ['POST', '/api/moderation/comments/:id/reject', 'moderator'],
  ['POST', '/api/moderation/comments/:id/restore', 'moderator'],
  ['POST', '/api/moderation/bulk', 'moderator'],
  ['GET', '/api/moderation/log', 'moderator'],
  ['GET', '/api/moderation/log/moderators', 'moderator'],
  ['GET', '/api/moderation/log/users', 'moderator'],
  ['GET', '/api/moderation/stream', 'moderator'],
  ['GET', '/api/moderation/comments', 'moderator'],
  ['GET', '/api/moderation/settings', 'moderator'],
  ['PUT', '/api/moderation/settings', 'admin'],
  ['GET', '/api/moderation/users/:id', 'moderator'],
  ['POST', '/api/moderation/users/:id/ban', 'moderator'],
  ['POST', '/api/moderation/users/:id/unban', 'moderator'],
  ['POST', '/api/moderation/users/:id/premod', 'moderator'],
  ['GET', '/api/moderation/users/:id/notes', 'moderator'],
  ['POST', '/api/moderation/users/:id/notes', 'moderator'],
  ['POST', '/api/moderation/users/:id/erase', 'admin'],
  ['GET', '/api/me', 'user'],
  ['GET', '/api/me/data', 'user'],
  ['DELETE', '/api/me', 'user'],
  ['GET', '/api/me/notifications', 'user'],
  ['PUT', '/api/me/notifications', 'user'],
  ['POST', '/api/me/notifications/address', 'user'],
  ['GET', '/api/notifications/confirm', 'public'],
  ['GET', '/api/notifications/unsubscribe', 'public'],
  ['POST', '/api/notifications/unsubscribe', 'public'],
  ['POST', '/api/sessions/refresh', 'public'],
  ['POST', '/api/sessions/sign-out', 'public'],
  ['GET', '/api/sign-in/sites', 'public'],
  ['GET', '/api/sites/:key/sign-in', 'public'],
  ['GET', '/api/sites/:key/sign-in/callback', 'public'],
  ['POST', '/api/sites/:key/sign-in/pickup', 'public'],
  ['POST', '/api/sites/:key/email-sign-in', 'public'],
  ['GET', '/api/sites/:key/email-sign-in/link', 'public'],
  ['POST', '/api/sites/:key/email-sign-in/link', 'public'],
  ['GET', '/api/moderation/digest', 'moderator'],
  ['PUT', '/api/moderation/digest', 'moderator'],
  ['GET', '/api/digest-confirmations', 'public'],
  ['GET', '/api/admin/export', 'admin'],
  ['GET', '/api/admin/sites', 'moderator'],
  // An organisation admin's (the first site's admins, as the tokens here are).
  ['POST', '/api/admin/sites', 'admin'],
  ['GET', '/api/admin/sites/:key', 'moderator'],
  ['PATCH', '/api/admin/sites/:key', 'admin'],
  ['GET', '/api/admin/sites/:key/members', 'admin'],
  ['PUT', '/api/admin/sites/:key/members', 'admin'],
  ['DELETE', '/api/admin/sites/:key/members/:userId', 'admin'],
  ['GET', '/api/admin/sites/:key/slack', 'admin'],
  ['PUT', '/api/admin/sites/:key/slack', 'admin'],
  ['DELETE', '/api/admin/sites/:key/slack', 'admin'],
  ['GET', '/api/admin/sites/:key/deliveries', 'admin'],
  ['POST', '/api/admin/sites/:key/deliveries/:queue/:id/retry', 'admin'],
  ['GET', '/api/admin/webhooks', 'admin'],
  ['POST', '/api/admin/webhooks', 'admin'],
  ['GET', '/api/admin/webhooks/:id', 'admin'],
  ['PATCH', '/api/admin/webhooks/:id', 'admin'],
  ['DELETE', '/api/admin/webhooks/:id', 'admin'],
  ['POST', '/api/admin/webhooks/:id/secret/rotate', 'admin'],
  ['POST', '/api/admin/webhooks/:id/pause', 'admin'],
  ['POST', '/api/admin/webhooks/:id/resume', 'admin'],
  ['POST', '/api/admin/webhooks/:id/test', 'admin'],
  ['GET', '/api/admin/webhooks/:id/deliveries', 'admin'],
  ['POST', '/api/admin/webhooks/:id/deliveries/:deliveryId/resend', 'admin'],
  ['POST', '/api/admin/imports', 'admin'],
  ['GET', '/api/admin/imports/:id', 'admin'],
  ['GET', '/api/admin/mail', 'admin'],
  ['GET', '/api/admin/emails', 'admin'],
  ['GET', '/api/admin/emails/:id', 'admin'],
];

/**
 * The built front ends' files, served beside the API (src/web/web-assets.ts): static, public, no
 * guard, so not in ROUTES (whose every route answers a bad token with 401).
 */
export const WEB_ROUTES = [
  'GET /embed.js',
  'GET /demo',
  'GET /demo/*',
  'GET /desk',
  'GET /desk/config.json',
  'GET /favicon.svg',
  'GET /favicon.ico',
];

/** The console's built files, one route each (their names carry a hash of their content). */
const isDeskFile = (route: string) => /^GET \/desk\/(index\.html|assets\/[\w.-]+\.(js|css))$/.test(route);

/** The routes the app serves, as "METHOD /path" (without the docs, the front ends' files and CORS preflights). */
export function appRoutes(t: TestApp): string[] {
  return t.routes.filter(
    (route) =>
      !route.includes('/api/docs') &&
      !route.startsWith('OPTIONS ') &&
      !WEB_ROUTES.includes(route) &&
      !isDeskFile(route),
  );
}

/** The front ends' routes the app serves. */
export function webRoutes(t: TestApp): string[] {
  return t.routes.filter((route) => WEB_ROUTES.includes(route));
}
