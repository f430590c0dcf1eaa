import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataService } from './personal-data.service';

@Module({ imports: [SettingsModule], controllers: [PersonalDataController], providers: [PersonalDataService] })
export class PersonalDataModule {}
