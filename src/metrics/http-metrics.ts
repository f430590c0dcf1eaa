import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { MetricsService } from './metrics.service';

/** The route label of requests that matched no route: one value, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template that answered (`/api/articles/:id/comments`), never the raw path, so that
 * the label's values are bounded by the route table. Express sets req.route to each route that it
 * enters; the endpoint's comes last. Nest mounts global middleware (CORS, when configured) as
 * routes for every method on the prefix and on `/api/{*path}`, which every request enters: such a
 * catch-all names no endpoint, and a request that entered nothing else matched no route.
 */
export function routeLabel(req: IncomingMessage): string {
  const route = (req as IncomingMessage & { route?: { path?: unknown; methods?: Record<string, boolean> } }).route;
  if (typeof route?.path !== 'string') return UNMATCHED_ROUTE;
  const catchAll = route.path.includes('*') || Object.keys(route.methods ?? {}).length > 1;
  return catchAll ? UNMATCHED_ROUTE : route.path;
}

/**
 * Counts and times every HTTP request. It listens on the HTTP server itself, ahead of Express,
 * rather than as Nest middleware: middleware runs after the body parser and helmet, and would
 * miss the requests that they refuse (413, malformed JSON) and the time they take.
 */
@Injectable()
export class HttpMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method ?? 'UNKNOWN', route: routeLabel(req), status_code: String(res.statusCode) };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
  };

  onApplicationBootstrap(): void {
    // No HTTP adapter in a standalone application context: nothing to count.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    server.prependListener('request', this.onRequest);
    this.server = server;
  }

  onApplicationShutdown(): void {
    this.server?.off('request', this.onRequest);
  }
}
