import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { Access, AnyOrigin, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader } from '../auth/request-site.decorator';
import { ApiProblem } from '../openapi/openapi-document';
import { NotificationAddressDto, NotificationPreferencesDto } from './dto/notifications.dto';
import { AddressConfirmationView, NotificationLinkView, NotificationSettingsView } from './dto/notifications.views';
import { NotificationPreferences } from './notification-preferences.service';
import { confirmedPage, invalidLinkPage, unsubscribeAskPage, unsubscribedPage } from './notification-pages';

const HTML = { 'text/html': { schema: { type: 'string' } } };
const PAGE_OR_JSON = { ...HTML, 'application/json': { schema: { $ref: '#/components/schemas/NotificationLinkView' } } };
const PAGE_OR_PROBLEM = { ...HTML, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
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

/** The links in readers' emails: pages for a browser (Accept: text/html), JSON and problems for other clients. */
@ApiTags('notifications')
@ApiExtraModels(NotificationLinkView)
@Access('public')
@AnyOrigin()
@Controller('notifications')
export class NotificationLinksController {
  constructor(private readonly preferences: NotificationPreferences) {}

  /** Confirms an address by the link emailed to it. */
  @Get('confirm')
  @ApiQuery(TOKEN)
  @ApiOkResponse({
    description: 'Confirmed (a browser gets a page saying so)',
    content: PAGE_OR_JSON,
  })
  @ApiResponse({
    status: 404,
    description: 'LINK_INVALID: the link is unknown, used or expired',
    content: PAGE_OR_PROBLEM,
  })
  async confirm(
    @Query('token') token: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const done = typeof token === 'string' && token.length <= 200 ? await this.preferences.confirm(token) : null;
    if (!done) return refuse(request, reply);
    answer(request, reply, { status: 'confirmed' }, () => confirmedPage(done.lang, done.address));
  }

  /** Says whether the link works; a browser gets a page that asks to confirm (link checkers open links). */
  @Get('unsubscribe')
  @ApiQuery(TOKEN)
  @ApiOkResponse({
    description: 'The link works; nothing changed yet (a browser gets a page with a button)',
    content: PAGE_OR_JSON,
  })
  @ApiResponse({ status: 404, description: 'LINK_INVALID: the link is not valid', content: PAGE_OR_PROBLEM })
  async ask(@Query('token') token: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const target =
      typeof token === 'string' && token.length <= 400 ? await this.preferences.unsubscribeTarget(token) : null;
    if (!target) return refuse(request, reply);
    answer(request, reply, { status: 'subscribed' }, () => unsubscribeAskPage(target.lang, token as string));
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
  @ApiOkResponse({
    description: 'Unsubscribed (a browser gets a page saying so)',
    content: PAGE_OR_JSON,
  })
  @ApiResponse({ status: 404, description: 'LINK_INVALID: the link is not valid', content: PAGE_OR_PROBLEM })
  async unsubscribe(
    @Query('token') token: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const done = typeof token === 'string' && token.length <= 400 ? await this.preferences.unsubscribe(token) : null;
    if (!done) return refuse(request, reply);
    answer(request, reply, { status: 'unsubscribed' }, () => unsubscribedPage(done.lang));
  }
}

const wantsPage = (request: FastifyRequest) => /text\/html/.test(request.headers.accept ?? '');

function answer(request: FastifyRequest, reply: FastifyReply, view: NotificationLinkView, html: () => string): void {
  if (wantsPage(request)) return void page(reply).send(html());
  void reply.header('cache-control', 'no-store').send(view);
}

function refuse(request: FastifyRequest, reply: FastifyReply): void {
  if (!wantsPage(request))
    throw new AppError(HttpStatus.NOT_FOUND, 'LINK_INVALID', 'The link is not valid or has expired');
  void page(reply).code(404).send(invalidLinkPage('en'));
}

const page = (reply: FastifyReply) =>
  reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .header('cache-control', 'no-store');
