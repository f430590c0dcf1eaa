import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors/app-error';

/** @nestjs/throttler's guard, answering with our 429 RATE_LIMITED problem and a plain Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(detail.timeToBlockExpire));
    throw new AppError(429, 'RATE_LIMITED', `Too many requests; try again in ${detail.timeToBlockExpire} s`);
  }
}
