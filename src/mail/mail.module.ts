import { Module } from '@nestjs/common';
import { Mailer } from './mailer';

/** Sending email through the delivery queue (SMTP, or kept for admins to read). */
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}
