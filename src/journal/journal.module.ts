import { Global, Module } from '@nestjs/common';
import { CommitEvents } from './commit-events';
import { ModerationLog } from './moderation-log.service';

/**
 * The moderation log, written by every feature in the transaction of the change it records, and
 * the events that features hear of each other after a commit. It sits below the features and
 * imports none of them.
 */
@Global()
@Module({ providers: [ModerationLog, CommitEvents], exports: [ModerationLog, CommitEvents] })
export class JournalModule {}
