import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Environment } from '../config/environment';
import { AppError } from '../errors/app-error';

export const METRICS_TOKEN_HEADER = 'x-metrics-token';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * When METRICS_TOKEN is set, /api/metrics needs it in X-Metrics-Token (not in Authorization,
 * which the global guard reads as a JWT). Compared in constant time, whatever the lengths.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly env: Environment) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.env.METRICS_TOKEN;
    if (!expected) return true;
    const given = context.switchToHttp().getRequest<FastifyRequest>().headers[METRICS_TOKEN_HEADER];
    if (typeof given === 'string' && timingSafeEqual(digest(given), digest(expected))) return true;
    throw AppError.forbidden('The metrics need the right X-Metrics-Token header');
  }
}
