import type { IncomingMessage } from 'node:http';
import { routeLabel, UNMATCHED_ROUTE } from './http-metrics';

const request = (route?: { path: unknown; methods: Record<string, boolean> }) =>
  ({ route }) as unknown as IncomingMessage;
const every = Object.fromEntries(['get', 'post', 'put', 'patch', 'delete', 'options'].map((m) => [m, true]));

describe('routeLabel', () => {
  it('names the template of the endpoint that matched', () => {
    expect(routeLabel(request({ path: '/api/articles/:id/comments', methods: { post: true } }))).toBe(
      '/api/articles/:id/comments',
    );
  });
  it('puts everything else under one value: no route, catch-alls of middleware, paths that are not text', () => {
    expect(routeLabel(request())).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(request({ path: '/api/{*path}', methods: every }))).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(request({ path: '/api', methods: every }))).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(request({ path: /^\/api\/x/, methods: { get: true } }))).toBe(UNMATCHED_ROUTE);
  });
});
