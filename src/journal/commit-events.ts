import { Injectable } from '@nestjs/common';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/** What a feature may tell the others of, and what each event carries. */
export interface CommitEventMap {
  /** A token brought a new display name for a user already known. */
  'user.renamed': { userId: string };
}
export type CommitEventName = keyof CommitEventMap;
type Handler<N extends CommitEventName> = (events: CommitEventMap[N][]) => void;

const RAISED = 'commitEvents';
type Raised = { name: CommitEventName; event: unknown }[];

/**
 * Typed events that features raise inside a unit of work and hear once it has committed: work
 * that must not hold the transaction's locks, or that a rollback must cancel. A listener gets
 * each transaction's events of one name together.
 */
@Injectable()
export class CommitEvents implements EntitySubscriberInterface {
  private readonly handlers = new Map<CommitEventName, Handler<CommitEventName>[]>();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  on<N extends CommitEventName>(name: N, handler: Handler<N>): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler as Handler<CommitEventName>]);
  }

  /** Heard after `manager`'s transaction commits; outside a transaction, the statement has. */
  raise<N extends CommitEventName>(manager: EntityManager, name: N, event: CommitEventMap[N]): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return this.deliver([{ name, event }]);
    const data = runner.data as Record<string, Raised | undefined>;
    (data[RAISED] ??= []).push({ name, event });
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, Raised | undefined>;
    const raised = data[RAISED];
    delete data[RAISED];
    if (raised?.length) this.deliver(raised);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete (event.queryRunner.data as Record<string, Raised | undefined>)[RAISED];
  }

  private deliver(raised: Raised): void {
    for (const [name, handlers] of this.handlers) {
      const events = raised.filter((r) => r.name === name).map((r) => r.event as CommitEventMap[typeof name]);
      if (events.length > 0) for (const handler of handlers) handler(events);
    }
  }
}
