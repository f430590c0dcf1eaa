import { Module } from '@nestjs/common';
import { CaughtEmailsController } from './caught-emails.controller';
import { Mailer } from './mailer';

/** Sending email through the delivery queue (SMTP, or kept for admins to read at /api/admin/emails). */
@Module({ controllers: [CaughtEmailsController], providers: [Mailer], exports: [Mailer] })
export class MailModule {}
