import { Injectable, Logger } from '@nestjs/common';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { CommitEvents } from '../journal/commit-events';

/**
 * Pages are cached by their article's thread_version, and show their authors' names. When a
 * token brings a new display name, the threads the user wrote in get a new version once the
 * rename has committed, so that no cached page keeps the old name. Outside the transaction that
 * renamed: it must not wait for the locks of other, possibly busy, articles.
 */
@Injectable()
export class RenamedAuthors {
  private readonly logger = new Logger('RenamedAuthors');

  constructor(
    events: CommitEvents,
    private readonly transactions: Transactions,
  ) {
    events.on('user.renamed', (renamed) => void this.renewThreads(renamed.map((r) => r.userId)));
  }

  async renewThreads(userIds: string[]): Promise<void> {
    try {
      // A deadlock with a writer of several articles is retried like any unit of work.
      await this.transactions.run((manager) =>
        sql(
          manager,
          `UPDATE articles SET thread_version = thread_version + 1
          WHERE id IN (SELECT DISTINCT article_id FROM comments WHERE author_id = ANY($1::text[]))`,
          [userIds],
        ),
      );
    } catch (error) {
      this.logger.warn(`Threads of renamed users kept their versions: ${(error as Error).message}`);
    }
  }
}
