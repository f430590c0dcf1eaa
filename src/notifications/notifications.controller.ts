import { Body, Controller, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, AnyOrigin, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader } from '../auth/request-site.decorator';
import { ApiProblem } from '../openapi/openapi-document';
import { NotificationAddressDto, NotificationPreferencesDto } from './dto/notifications.dto';
import { AddressConfirmationView, NotificationSettingsView } from './dto/notifications.views';
import { NotificationPreferences } from './notification-preferences.service';
import { confirmedPage, invalidLinkPage, unsubscribeAskPage, unsubscribedPage } from './notification-pages';

const HTML = { 'text/html': { schema: { type: 'string' } } };
const TOKEN = { name: 'token', type: String, description: 'As the email link gives it' };

/** The signed-in reader's email notifications: what they hear of, how often, and where. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('user')
@Controller('me/notifications')
export class ReaderNotificationsController {
  constructor(private readonly preferences: NotificationPreferences) {}

  /** The reader's choices (all off until they turn them on), and the address emails go to. */
  @Get()
  @ApiOkResponse({ type: NotificationSettingsView })
  get(@CurrentUser() user: AuthUser): Promise<NotificationSettingsView> {
    return this.preferences.get(user);
  }

  @Put()
  @ApiOkResponse({ type: NotificationSettingsView })
  @ApiProblem(409, 'EMAIL_UNAVAILABLE: this installation sends no email')
  put(@CurrentUser() user: AuthUser, @Body() dto: NotificationPreferencesDto): Promise<NotificationSettingsView> {
    return this.preferences.put(user, dto);
  }

  /** An address for the emails: one the site verified is used at once; any other gets a link to confirm it. */
  @Post('address')
  @HttpCode(200)
  @ApiOkResponse({ type: AddressConfirmationView })
  @ApiProblem(409, 'EMAIL_UNAVAILABLE: this installation sends no email')
  @ApiProblem(429, 'RATE_LIMITED: too many confirmation emails asked for in the last hour')
  address(@CurrentUser() user: AuthUser, @Body() dto: NotificationAddressDto): Promise<AddressConfirmationView> {
    return this.preferences.giveAddress(user, dto);
  }
}

/** The links in readers' emails: pages for a browser, and the one-click unsubscribe of mail clients. */
@ApiTags('notifications')
@Access('public')
@AnyOrigin()
@Controller('notifications')
export class NotificationLinksController {
  constructor(private readonly preferences: NotificationPreferences) {}

  /** Confirms an address by the link emailed to it. */
  @Get('confirm')
  @ApiQuery(TOKEN)
  @ApiOkResponse({ description: 'A page saying the address is confirmed', content: HTML })
  @ApiResponse({
    status: 404,
    description: 'A page: the link is unknown, used or expired (LINK_INVALID)',
    content: HTML,
  })
  async confirm(@Query('token') token: unknown, @Res() reply: FastifyReply): Promise<void> {
    const done = typeof token === 'string' && token.length <= 200 ? await this.preferences.confirm(token) : null;
    if (!done) return void page(reply).code(404).send(invalidLinkPage('en'));
    void page(reply).send(confirmedPage(done.lang, done.address));
  }

  /** Asks the reader to confirm (a link checker opening the link must not unsubscribe them). */
  @Get('unsubscribe')
  @ApiQuery(TOKEN)
  @ApiOkResponse({ description: 'A page with a button that unsubscribes', content: HTML })
  @ApiResponse({ status: 404, description: 'A page: the link is not valid (LINK_INVALID)', content: HTML })
  async ask(@Query('token') token: unknown, @Res() reply: FastifyReply): Promise<void> {
    const target = typeof token === 'string' ? await this.preferences.unsubscribeTarget(token) : null;
    if (!target) return void page(reply).code(404).send(invalidLinkPage('en'));
    void page(reply).send(unsubscribeAskPage(target.lang, token as string));
  }

  /**
   * One-click unsubscribe (RFC 8058): a mail client posts `List-Unsubscribe=One-Click`; every
   * notification of the reader is turned off and nothing waiting for a digest is sent.
   */
  @Post('unsubscribe')
  @HttpCode(200)
  @ApiQuery(TOKEN)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    required: false,
    schema: { type: 'object', properties: { 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } } },
  })
  @ApiOkResponse({ description: 'A page saying the reader is unsubscribed', content: HTML })
  @ApiResponse({ status: 404, description: 'A page: the link is not valid (LINK_INVALID)', content: HTML })
  async unsubscribe(@Query('token') token: unknown, @Res() reply: FastifyReply): Promise<void> {
    const done = typeof token === 'string' ? await this.preferences.unsubscribe(token) : null;
    if (!done) return void page(reply).code(404).send(invalidLinkPage('en'));
    void page(reply).send(unsubscribedPage(done.lang));
  }
}

const page = (reply: FastifyReply) =>
  reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .header('cache-control', 'no-store');
