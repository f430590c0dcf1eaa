import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import type { Site } from '../sites/site.entity';
import { UserSiteAccess } from '../users/user-site-access';
import { userIdParam } from '../common/user-id';
import { AppError } from '../errors/app-error';
import { ErasureView, PersonalDataView } from './personal-data.views';
import { PersonalDataService } from './personal-data.service';

/** Readers' rights to their data (GDPR articles 15, 17 and 20). */
@ApiTags('personal data')
@ApiBearerAuth()
@ApiSiteHeader()
@Controller()
export class PersonalDataController {
  constructor(
    private readonly personalData: PersonalDataService,
    private readonly access: UserSiteAccess,
  ) {}

  /** Everything stored about the signed-in reader, as JSON. */
  @Get('me/data')
  @Access('user')
  @ApiOkResponse({ type: PersonalDataView })
  data(@CurrentUser() user: AuthUser): Promise<PersonalDataView> {
    return this.personalData.export(user.id);
  }

  /** The signed-in reader erases themselves: name, texts and revisions. */
  @Delete('me')
  @Access('user')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Erased (or nothing was stored)' })
  async eraseMe(@CurrentUser() user: AuthUser): Promise<void> {
    try {
      await this.personalData.erase(user.id, user);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
    }
  }

  /** An admin of the user's site erases them, on their request. */
  @Post('moderation/users/:id/erase')
  @Access('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: ErasureView })
  async erase(
    @Param('id') id: string,
    @CurrentUser() admin: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ErasureView> {
    const userId = userIdParam(id);
    await this.access.siteOf(userId, admin, site, 'admin');
    return this.personalData.erase(userId, admin);
  }
}
