import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import { mustHold } from '../auth/site-access';
import type { Site } from '../sites/site.entity';
import { SiteOrigins } from '../sites/site-origins';
import { UpdateSettingsDto } from './dto/update-settings.dto';
import { SettingsService } from './settings.service';
import { SettingsView } from './settings.view';

@ApiTags('moderation')
@ApiBearerAuth()
@ApiSiteHeader()
@Controller('moderation/settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly origins: SiteOrigins,
  ) {}

  /** The site's moderation settings in force (rules, limits, defaults). */
  @Get()
  @Access('moderator')
  async get(@CurrentUser() user: AuthUser, @RequestSite() site: Site): Promise<SettingsView> {
    mustHold(user, site.id, 'moderator');
    return SettingsView.of(await this.settings.current(site.id));
  }

  /**
   * Changes the fields given; applies at once. The site's admins only. When the site has origins
   * stored, each article auto-creation prefix must lie under one of them.
   */
  @Put()
  @Access('admin')
  async update(
    @Body() dto: UpdateSettingsDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<SettingsView> {
    mustHold(user, site.id, 'admin');
    this.origins.mustCover(site, dto.articleAutoCreatePrefixes);
    return SettingsView.of(await this.settings.update(site.id, dto, user));
  }
}
