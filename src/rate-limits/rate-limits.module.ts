import { Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerOptions } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Environment } from '../config/environment';
import { SettingsService } from '../settings/settings.service';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { routeLimit, USER_LIMITS } from './rate-limit.decorator';
import { RateLimitGuard } from './rate-limit.guard';

const PRUNE_EVERY_MS = 60_000;

/**
 * Rate limits from the moderation settings (read through a short cache, so a change applies
 * within a second or two), counted in PostgreSQL so that several instances share them.
 * RATE_LIMITS=off switches them off. Articles created by embeds are counted where they are
 * created (ArticleChanges), so that lookups do not count.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [DataSource, SettingsService, Environment],
      useFactory: (dataSource: DataSource, settings: SettingsService, env: Environment) => {
        const limits = () => settings.cached().then((s) => s.rateLimits);
        const off = env.RATE_LIMITS === 'off';
        const perUser: ThrottlerOptions[] = USER_LIMITS.map((name) => ({
          name,
          limit: async () => (await limits())[name].limit,
          ttl: async () => (await limits())[name].perSeconds * 1000,
          // A throttler's own skipIf replaces the common one, so each repeats the switch.
          skipIf: (context) => off || routeLimit(context) !== name,
          getTracker: (req) => (req as AuthenticatedRequest).user?.id ?? `anonymous:${req.ip}`,
          generateKey: (_context, tracker) => `${name}:${tracker}`,
        }));
        return {
          storage: new PostgresThrottlerStorage(dataSource),
          skipIf: () => off,
          setHeaders: false,
          throttlers: [
            {
              name: 'address',
              limit: async () => (await limits()).address.limit,
              ttl: async () => (await limits()).address.perSeconds * 1000,
              generateKey: (_context, tracker) => `address:${tracker}`,
            },
            ...perUser,
          ],
        };
      },
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const storage = new PostgresThrottlerStorage(this.dataSource);
    this.timer = setInterval(() => storage.prune().catch(() => undefined), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
