import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Repeating } from '../common/repeating';
import { Environment } from '../config/environment';
import { ModeratorDigests } from './moderator-digests.service';

const SWEEP_EVERY_MS = 60_000;

/** Sends the digests that are due, once a minute on every instance (each digest is claimed by one). */
@Injectable()
export class DigestSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Digests');
  private readonly repeating = new Repeating(() => this.digests.sweep(), {
    after: () => SWEEP_EVERY_MS,
    afterError: (error) => {
      this.logger.warn(`Digest sweep failed: ${error.message}`);
      return SWEEP_EVERY_MS;
    },
  });

  constructor(
    private readonly digests: ModeratorDigests,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.DELIVERIES === 'on') this.repeating.start(SWEEP_EVERY_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.repeating.stop();
  }
}
