import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { Environment } from '../config/environment';

const RECONNECT_MS = 1000;

type Handler = (payload: string) => void;

/**
 * One LISTEN connection per instance for every channel of live events. After losing it, it
 * reconnects and tells every handler (with an empty payload) to catch up on what it missed.
 */
@Injectable()
export class PgListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Live');
  private readonly handlers = new Map<string, Handler>();
  private client?: Client;
  private stopped = false;

  constructor(private readonly env: Environment) {}

  /** Registered before the application starts (in a constructor or onModuleInit). */
  on(channel: string, handler: Handler): void {
    this.handlers.set(channel, handler);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.env.DATABASE_URL });
    const retry = () => {
      if (this.client !== client || this.stopped) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      setTimeout(() => this.listen(), RECONNECT_MS).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message: Notification) => this.handlers.get(message.channel)?.(message.payload ?? ''));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      for (const handler of this.handlers.values()) handler('');
    } catch (error) {
      this.logger.warn(`LISTEN failed, retrying: ${(error as Error).message}`);
      retry();
    }
  }
}
