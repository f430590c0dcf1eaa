import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import { UuidParam } from '../common/uuid.pipe';
import { ApiProblem } from '../openapi/openapi-document';
import { mustAdminister } from '../site-admin/site-admin-access';
import type { Site } from '../sites/site.entity';
import { DeliveryLogQueryDto } from './dto/delivery-log-query.dto';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook-endpoint.dto';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookEndpoints } from './webhook-endpoints.service';
import {
  WebhookDeliveryListView,
  WebhookEndpointListView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
  WebhookQueuedView,
} from './webhook.views';

const NO_SUCH_SITE = 'NOT_FOUND: no such site, or the caller holds no role on it';
const REFUSED_URL =
  'URL_NOT_ALLOWED (not an http(s) URL, or its host does not resolve) or ADDRESS_NOT_PUBLIC (it resolves to a loopback, private, link-local or metadata address)';

/**
 * A site's webhooks (the site of `?site=`): endpoints that are sent the events they subscribe to,
 * signed per Standard Webhooks (every body is a WebhookPayload, as the delivery log shows). The site's admins, or an
 * organisation admin; another site's endpoint is 404.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('admin')
@Controller('admin/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  /** The site's endpoints, the oldest first. */
  @Get()
  @ApiProblem(404, NO_SUCH_SITE)
  async list(@RequestSite() site: Site, @CurrentUser() user: AuthUser): Promise<WebhookEndpointListView> {
    mustAdminister(user, site);
    return { items: (await this.endpoints.list(site)).map(WebhookEndpointView.of) };
  }

  /** Registers an endpoint; its signing secret is in the answer, and only there. */
  @Post()
  @ApiProblem(400, REFUSED_URL)
  @ApiProblem(404, NO_SUCH_SITE)
  async create(
    @RequestSite() site: Site,
    @Body() dto: CreateWebhookDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookEndpointWithSecretView> {
    mustAdminister(user, site);
    const row = await this.endpoints.create(site, dto, user);
    return { ...WebhookEndpointView.of(row), secret: row.secret };
  }

  @Get(':id')
  async get(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookEndpointView> {
    mustAdminister(user, site);
    return WebhookEndpointView.of(await this.endpoints.get(site, id));
  }

  /** Changes the URL, description or events given. */
  @Patch(':id')
  @ApiProblem(400, REFUSED_URL)
  async update(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @Body() dto: UpdateWebhookDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookEndpointView> {
    mustAdminister(user, site);
    return WebhookEndpointView.of(await this.endpoints.update(site, id, dto, user));
  }

  /** Removes the endpoint and its delivery log; nothing more is sent to it. */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    mustAdminister(user, site);
    await this.endpoints.remove(site, id, user);
  }

  /**
   * Makes a new signing secret (in the answer, and only there). For 24 hours the previous one
   * signs too: each message then carries two signatures, so the receiver may switch at leisure.
   */
  @Post(':id/secret/rotate')
  @HttpCode(200)
  async rotate(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookEndpointWithSecretView> {
    mustAdminister(user, site);
    const row = await this.endpoints.rotate(site, id, user);
    return { ...WebhookEndpointView.of(row), secret: row.secret };
  }

  /** Pauses the endpoint (status disabled): no events are sent to it until it is resumed. */
  @Post(':id/pause')
  @HttpCode(200)
  async pause(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookEndpointView> {
    mustAdminister(user, site);
    return WebhookEndpointView.of(await this.endpoints.pause(site, id, user));
  }

  /** Makes a paused or disabled endpoint active again; events from now on are sent to it. */
  @Post(':id/resume')
  @HttpCode(200)
  async resume(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookEndpointView> {
    mustAdminister(user, site);
    return WebhookEndpointView.of(await this.endpoints.resume(site, id, user));
  }

  /** Queues a webhook.test message to the endpoint (also while paused); it shows in the delivery log once tried. */
  @Post(':id/test')
  @HttpCode(202)
  async test(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookQueuedView> {
    mustAdminister(user, site);
    return { id: await this.deliveries.sendTest(site, await this.endpoints.get(site, id)) };
  }

  /** The delivery log: the endpoint's newest messages (kept 30 days), each with every try's time, status and answer. */
  @Get(':id/deliveries')
  async deliveryLog(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @Query() query: DeliveryLogQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookDeliveryListView> {
    mustAdminister(user, site);
    return { items: await this.deliveries.list(await this.endpoints.get(site, id), query.limit ?? 50) };
  }

  /**
   * Sends a message again: one that failed every try (a dead letter) under its own webhook-id;
   * one delivered before as a new message (a new webhook-id) with the same body.
   */
  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  @ApiProblem(409, 'CONFLICT: the message is still being tried')
  async resend(
    @RequestSite() site: Site,
    @Param('id', UuidParam()) id: string,
    @Param('deliveryId', UuidParam()) deliveryId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookQueuedView> {
    mustAdminister(user, site);
    return { id: await this.deliveries.resend(site, await this.endpoints.get(site, id), deliveryId) };
  }
}
