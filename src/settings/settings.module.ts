import { Global, Module } from '@nestjs/common';
import { ModerationLog } from '../moderation/moderation-log.service';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Global()
@Module({
  controllers: [SettingsController],
  providers: [SettingsService, ModerationLog],
  exports: [SettingsService, ModerationLog],
})
export class SettingsModule {}
