import type { FastifyRequest } from 'fastify';
import { routeLabel, UNMATCHED_ROUTE } from './http-metrics';

const request = (url?: string) => ({ routeOptions: { url } }) as unknown as FastifyRequest;

describe('routeLabel', () => {
  it('names the template of the endpoint that matched', () => {
    expect(routeLabel(request('/api/articles/:id/comments'))).toBe('/api/articles/:id/comments');
  });
  it('puts requests that matched no route under one value', () => {
    expect(routeLabel(request())).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(request(''))).toBe(UNMATCHED_ROUTE);
  });
});
