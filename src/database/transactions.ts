import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { KeyedLimiter } from './keyed-limiter';
import { isRetryable } from '../errors/pg-errors';

const MAX_ATTEMPTS = 5;
/** Writers of one article that may hold a connection at once on this instance. */
const WRITERS_PER_ARTICLE = 2;

/** Runs units of work in a transaction, retrying the whole unit on serialization failures and deadlocks. */
@Injectable()
export class Transactions {
  private readonly articleWriters = new KeyedLimiter(WRITERS_PER_ARTICLE);

  constructor(private readonly dataSource: DataSource) {}

  /** With `article`: a unit of work that will lock that article's row; it queues behind the others. */
  async run<T>(work: (manager: EntityManager) => Promise<T>, options: { article?: string } = {}): Promise<T> {
    if (options.article) return this.articleWriters.run(options.article, () => this.retrying(work));
    return this.retrying(work);
  }

  /**
   * A unit of work that is one statement (a database function, migrations/functions/, its own
   * transaction): no BEGIN and COMMIT round trips; retried and queued as run() does.
   */
  async statement<T>(work: () => Promise<T>, options: { article?: string } = {}): Promise<T> {
    if (options.article) return this.articleWriters.run(options.article, () => retrying(work));
    return retrying(work);
  }

  private retrying<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return retrying(() => this.dataSource.transaction(work));
  }
}

async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
