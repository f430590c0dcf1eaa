import { Module } from '@nestjs/common';
import { SlackAlerts } from './slack-alerts';
import { SlackSender } from './slack-sender';
import { SlackSettings } from './slack-settings.service';
import { SlackSettingsController } from './slack-settings.controller';

/** Slack alerts per site: their settings, the alerts the outbox's events make, and their sending. */
@Module({
  controllers: [SlackSettingsController],
  providers: [SlackSettings, SlackAlerts, SlackSender],
})
export class SlackModule {}
