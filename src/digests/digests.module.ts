import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { DigestSweeper } from './digest-sweeper';
import { DigestConfirmationsController, ModeratorDigestsController } from './moderator-digests.controller';
import { ModeratorDigests } from './moderator-digests.service';

/** Moderators' digests of what waits in their queues, emailed by their choice. */
@Module({
  imports: [MailModule],
  controllers: [ModeratorDigestsController, DigestConfirmationsController],
  providers: [ModeratorDigests, DigestSweeper],
})
export class DigestsModule {}
