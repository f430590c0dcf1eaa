import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { UpdateSettingsDto } from './dto/update-settings.dto';
import { SettingsService } from './settings.service';
import { SettingsView } from './settings.view';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('moderation/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  /** The moderation settings in force (rules, limits, defaults). */
  @Get()
  @Access('moderator')
  async get(): Promise<SettingsView> {
    return SettingsView.of(await this.settings.current());
  }

  /** Changes the fields given; applies at once. Admins only. */
  @Put()
  @Access('admin')
  async update(@Body() dto: UpdateSettingsDto, @CurrentUser() user: AuthUser): Promise<SettingsView> {
    return SettingsView.of(await this.settings.update(dto, user));
  }
}
