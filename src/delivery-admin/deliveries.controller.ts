import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { UuidParam } from '../common/uuid.pipe';
import { ApiProblem } from '../openapi/openapi-document';
import { mustAdminister } from '../site-admin/site-admin-access';
import { SitesDirectory } from '../sites/sites.directory';
import { DeadLetters } from './dead-letters.service';
import { DeliveriesView } from './deliveries.view';

/**
 * What a site sends out (webhooks, emails, Slack alerts), for its admins: what waits, retries and
 * failed for good, and sending a dead letter again. Another site's deliveries are not found.
 */
@ApiTags('sites')
@ApiBearerAuth()
@Access('admin')
@Controller('admin/sites/:key/deliveries')
export class DeliveriesController {
  constructor(
    private readonly sites: SitesDirectory,
    private readonly deadLetters: DeadLetters,
  ) {}

  /** The site's deliveries waiting, retrying and dead, by queue, and its newest 100 dead letters. */
  @Get()
  async overview(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<DeliveriesView> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    return this.deadLetters.overview(site);
  }

  /** Sends a dead letter again: one try at once, then retries as before. */
  @Post(':queue/:id/retry')
  @HttpCode(204)
  @ApiProblem(409, 'CONFLICT: the delivery is no longer a dead letter')
  async retry(
    @Param('key') key: string,
    @Param('queue') queue: string,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    await this.deadLetters.retry(site, queue, id, user);
  }
}
