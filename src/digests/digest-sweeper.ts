import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Environment } from '../config/environment';
import { ModeratorDigests } from './moderator-digests.service';

const SWEEP_EVERY_MS = 60_000;

/** Sends the digests that are due, once a minute on every instance (each digest is claimed by one). */
@Injectable()
export class DigestSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Digests');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly digests: ModeratorDigests,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.DELIVERIES !== 'on') return;
    this.timer = setInterval(
      () => void this.digests.sweep().catch((error) => this.logger.warn(`Digest sweep failed: ${String(error)}`)),
      SWEEP_EVERY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
