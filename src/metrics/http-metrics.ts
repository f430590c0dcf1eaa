import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from './metrics.service';

/** The route label of requests that matched no route: one value, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template that answered (`/api/articles/:id/comments`), never the raw path, so that
 * the label's values are bounded by the route table.
 */
export function routeLabel(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  return typeof url === 'string' && url.length > 0 ? url : UNMATCHED_ROUTE;
}

/**
 * Counts and times every HTTP request, from Fastify's first hook to the last byte sent: the
 * requests refused while reading their bodies (413, malformed JSON) are counted too.
 */
@Injectable()
export class HttpMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    // No HTTP adapter in a standalone application context: nothing to count.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const labels = { method: request.method, route: routeLabel(request), status_code: String(reply.statusCode) };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  }
}
