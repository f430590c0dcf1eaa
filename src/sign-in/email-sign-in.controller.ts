import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator';
import { AppError } from '../errors/app-error';
import { ApiProblem } from '../openapi/openapi-document';
import { SiteOrigins } from '../sites/site-origins';
import { SitesDirectory } from '../sites/sites.directory';
import { AskEmailSignInDto, EmailLinkTokenDto, EmailSignedInView, EmailSignInAskedView } from './dto/email-sign-in.dto';
import { confirmPage, donePage, LINK_PAGE_CSP, refusedPage } from './email-sign-in.pages';
import { EmailSignIns, LINK_MINUTES, LinkRefused } from './email-sign-ins.service';

const HTML = { 'text/html': { schema: { type: 'string' } } };
const PAGE_OR_PROBLEM = { ...HTML, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * Sign-in by email link, for a site that offers it (its identity's emailLinks): the embed asks
 * for a link; the link's page confirms and signs in; the page that asked collects its tokens at
 * POST /api/sites/:key/sign-in/pickup, as after a sign-in with a provider.
 */
@ApiTags('sign-in')
@Controller('sites/:key/email-sign-in')
export class EmailSignInController {
  constructor(
    private readonly sites: SitesDirectory,
    private readonly origins: SiteOrigins,
    private readonly signIns: EmailSignIns,
  ) {}

  /** Emails a single-use sign-in link to the address; the answer is the same whether or not the address is known. */
  @Post()
  @HttpCode(202)
  @Access('public')
  @ApiAcceptedResponse({ type: EmailSignInAskedView })
  @ApiProblem(404, 'NOT_FOUND: no such site, or it does not offer sign-in by email')
  @ApiProblem(403, "ORIGIN_NOT_ALLOWED: the origin is not one of the site's")
  @ApiProblem(409, 'CONFLICT: this pickup was used already')
  @ApiProblem(429, 'RATE_LIMITED: too many links asked for this address, or from this client (Retry-After)')
  async ask(
    @Param('key') key: string,
    @Body() dto: AskEmailSignInDto,
    @Req() request: FastifyRequest,
  ): Promise<EmailSignInAskedView> {
    const site = await this.sites.byKey(key);
    this.signIns.mustBeOffered(site);
    this.origins.mustAllow([site], dto.origin, undefined);
    // A page says its own origin: the email must not name another to the reader.
    const sent = request.headers.origin;
    if (sent !== undefined && sent !== dto.origin)
      throw new AppError(403, 'ORIGIN_NOT_ALLOWED', 'origin must be the origin of the page that asks');
    await this.signIns.ask(site, dto, request.ip, linkUrl(request, key));
    return { status: 'sent', expiresInMinutes: LINK_MINUTES };
  }

  /** The emailed link: a page asking the reader to confirm (a mail scanner's visit signs no one in). */
  @Get('link')
  @Access('public')
  @ApiOkResponse({ description: 'A page to confirm the sign-in', content: HTML })
  @ApiResponse({ status: 404, description: 'No such link, or it expired', content: PAGE_OR_PROBLEM })
  @ApiResponse({ status: 409, description: 'The link was used already', content: PAGE_OR_PROBLEM })
  async open(
    @Param('key') key: string,
    @Query() query: EmailLinkTokenDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.answer(request, reply, async (site) => {
      const link = await this.signIns.peek(site, query.token);
      const action = `/api/sites/${encodeURIComponent(key)}/email-sign-in/link`;
      return confirmPage(link.lang, { site: site.name, ...link, action, token: query.token });
    });
  }

  /** Signs in (once): the page that asked collects its tokens. A form's post gets a page, other clients JSON. */
  @Post('link')
  @HttpCode(200)
  @Access('public')
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiResponse({
    status: 200,
    description: 'Signed in (a page, to a browser)',
    content: { 'application/json': { schema: { $ref: getSchemaPath(EmailSignedInView) } }, ...HTML },
  })
  @ApiExtraModels(EmailSignedInView)
  @ApiResponse({ status: 404, description: 'No such link, or it expired', content: PAGE_OR_PROBLEM })
  @ApiResponse({ status: 409, description: 'The link was used already', content: PAGE_OR_PROBLEM })
  async use(
    @Param('key') key: string,
    @Body() dto: EmailLinkTokenDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.answer(request, reply, async (site) => {
      const link = await this.signIns.use(site, dto.token);
      return wantsPage(request) ? donePage(link.lang) : { status: 'signed-in' };
    });
  }

  /** A browser gets pages, refusals included; any other client JSON and problems. */
  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    work: (site: Awaited<ReturnType<SitesDirectory['byKey']>>) => Promise<string | object>,
  ): Promise<void> {
    const site = await this.sites.byKey((request.params as { key: string }).key);
    const html = (status: number, body: string) =>
      void reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', LINK_PAGE_CSP)
        .header('referrer-policy', 'same-origin')
        .header('cache-control', 'no-store')
        .send(body);
    try {
      const answer = await work(site);
      if (typeof answer === 'string') return html(200, answer);
      void reply.header('cache-control', 'no-store').send(answer);
    } catch (error) {
      if (!(error instanceof LinkRefused) || !wantsPage(request)) throw error;
      html(error.status, refusedPage(error.lang ?? request.headers['accept-language'] ?? 'en', error.reason));
    }
  }
}

const wantsPage = (request: FastifyRequest) => /text\/html/.test(request.headers.accept ?? '');

/** The link's URL as the browser reaches this service. */
function linkUrl(request: FastifyRequest, key: string): string {
  return `${request.protocol}://${request.host}/api/sites/${encodeURIComponent(key)}/email-sign-in/link`;
}
