import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiProblem } from '../openapi/openapi-document';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { SiteOrigins } from '../sites/site-origins';
import { SitesDirectory } from '../sites/sites.directory';
import { CreateSiteDto, UpdateSiteDto } from './dto/site.dto';
import { adminRoleOn, mustAdminister, mustSee } from './site-admin-access';
import { SiteChanges } from './site-changes.service';
import { SiteListView, SiteView } from './site.view';

/** The sites of the installation: organisation admins make them, each site's admins change theirs. */
@ApiTags('sites')
@ApiBearerAuth()
@Controller('admin/sites')
export class SitesAdminController {
  constructor(
    private readonly sites: SitesDirectory,
    private readonly changes: SiteChanges,
    private readonly origins: SiteOrigins,
  ) {}

  /**
   * The sites the caller holds a role on (every site for an organisation admin), with their role
   * there. Secrets are never sent back: the identity shows their fingerprints.
   */
  @Get()
  @Access('moderator')
  async list(@CurrentUser() user: AuthUser): Promise<SiteListView> {
    const items = (await this.sites.all()).flatMap((site) => {
      const role = adminRoleOn(user, site.id);
      return role ? [this.view(site, role)] : [];
    });
    return { items };
  }

  /** Makes a site, with moderation settings of its own (the defaults). Organisation admins only. */
  @Post()
  @Access('organisation')
  @ApiProblem(409, 'CONFLICT: a site has that key')
  async create(@Body() dto: CreateSiteDto, @CurrentUser() user: AuthUser): Promise<SiteView> {
    return this.view(await this.changes.create(dto, user), 'admin');
  }

  /** One site, for those who hold a role on it. */
  @Get(':key')
  @Access('moderator')
  async get(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<SiteView> {
    const site = await this.sites.byKey(key);
    return this.view(site, mustSee(user, site));
  }

  /** Changes the site's name, origins or identity (the key never changes). Its admins, or an organisation admin. */
  @Patch(':key')
  @Access('admin')
  async update(
    @Param('key') key: string,
    @Body() dto: UpdateSiteDto,
    @CurrentUser() user: AuthUser,
  ): Promise<SiteView> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    return this.view(await this.changes.update(site.id, dto, user), 'admin');
  }

  private view(site: Site, role: SiteView['role']): SiteView {
    return SiteView.of(site, role, site.id === DEFAULT_SITE_ID ? this.origins.environment : []);
  }
}
