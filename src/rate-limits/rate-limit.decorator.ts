import { ExecutionContext, SetMetadata } from '@nestjs/common';

/** The per-user limits; every request also counts against its client address's limit. */
export const USER_LIMITS = ['post', 'edit', 'report'] as const;
export type UserLimit = (typeof USER_LIMITS)[number];

const RATE_LIMIT_KEY = 'rate-limit';

/** Counts calls of this route against the signed-in user's `limit` bucket. */
export const RateLimit = (limit: UserLimit) => SetMetadata(RATE_LIMIT_KEY, limit);

export const routeLimit = (context: ExecutionContext): UserLimit | undefined =>
  Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler());
