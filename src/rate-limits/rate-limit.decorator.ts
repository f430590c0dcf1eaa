import { ExecutionContext, SetMetadata } from '@nestjs/common';

/** The per-user limits; every request also counts against its client address's limit. */
export const USER_LIMITS = ['post', 'edit', 'report'] as const;
export type UserLimit = (typeof USER_LIMITS)[number];

const RATE_LIMIT_KEY = 'rate-limit';

/** Limits counted per client address, on the routes that name them. */
export const ADDRESS_LIMITS = ['createArticle'] as const;
export type AddressLimit = (typeof ADDRESS_LIMITS)[number];

/** Counts calls of this route against the signed-in user's `limit` bucket (per address: ADDRESS_LIMITS). */
export const RateLimit = (limit: UserLimit | AddressLimit) => SetMetadata(RATE_LIMIT_KEY, limit);

export const routeLimit = (context: ExecutionContext): UserLimit | AddressLimit | undefined =>
  Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler());
