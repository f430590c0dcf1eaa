import { Global, Module } from '@nestjs/common';
import { ModerationLog } from './moderation-log.service';

/**
 * The moderation log, written by every feature in the transaction of the change it records. It
 * sits below the features and imports none of them.
 */
@Global()
@Module({ providers: [ModerationLog], exports: [ModerationLog] })
export class JournalModule {}
