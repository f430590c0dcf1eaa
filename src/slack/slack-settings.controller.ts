import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiProblem } from '../openapi/openapi-document';
import { mustAdminister } from '../site-admin/site-admin-access';
import { SitesDirectory } from '../sites/sites.directory';
import { PutSlackSettingsDto } from './dto/slack-settings.dto';
import { SlackSettings } from './slack-settings.service';
import { SlackSettingsView } from './slack-settings.view';

/**
 * A site's Slack alerts: the channel's incoming-webhook URL (write-only) and what it is told of.
 * The site's admins, or an organisation admin; another site's is not found.
 */
@ApiTags('sites')
@ApiBearerAuth()
@Access('admin')
@Controller('admin/sites/:key/slack')
export class SlackSettingsController {
  constructor(
    private readonly sites: SitesDirectory,
    private readonly slack: SlackSettings,
  ) {}

  /** The site's Slack alerts; the URL shown by its host and fingerprint only. */
  @Get()
  async get(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<SlackSettingsView> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    return this.slack.get(site);
  }

  /**
   * Sets the URL (required the first time; left out, kept) and the triggers. The URL must be https
   * and reach a public address.
   */
  @Put()
  @ApiProblem(400, 'URL_NOT_ALLOWED or ADDRESS_NOT_PUBLIC: the URL may not be called')
  async put(
    @Param('key') key: string,
    @Body() dto: PutSlackSettingsDto,
    @CurrentUser() user: AuthUser,
  ): Promise<SlackSettingsView> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    return this.slack.put(site, dto, user);
  }

  /** Removes the site's Slack alerts. */
  @Delete()
  @HttpCode(204)
  async remove(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<void> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    await this.slack.remove(site, user);
  }
}
