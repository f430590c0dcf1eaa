import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { DigestSweeper } from './digest-sweeper';
import { NotificationLinks } from './notification-links';
import { NotificationPreferences } from './notification-preferences.service';
import { NotificationLinksController, ReaderNotificationsController } from './notifications.controller';
import { ReaderFanOut } from './reader-fan-out';

/** Readers' email notifications: their choices, the emails the outbox's events make, and the digests. */
@Module({
  imports: [MailModule],
  controllers: [ReaderNotificationsController, NotificationLinksController],
  providers: [NotificationLinks, NotificationPreferences, ReaderFanOut, DigestSweeper],
})
export class NotificationsModule {}
