import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Access, OriginCheckedByRoute } from '../auth/access.decorator';
import { escapeHtml } from '../common/text';
import { AppError } from '../errors/app-error';
import { ApiProblem } from '../openapi/openapi-document';
import { normalizedOrigin, SiteOrigins } from '../sites/site-origins';
import { SitesDirectory } from '../sites/sites.directory';
import { BeginSignInQueryDto, PickupDto, SignInStartView } from './dto/sign-in.dto';
import { SessionTokensResponse } from './sessions.controller';
import { SiteSignIns } from './site-sign-ins.service';

/** The callback's pages; its refusals are pages for a browser (Accept: text/html), problems for other clients. */
const HTML = { 'text/html': { schema: { type: 'string' } } };
const PAGE_OR_PROBLEM = { ...HTML, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * Signing in with a site's OpenID provider, in a window the page opens: begin (sent on to the
 * provider), the provider's callback (a page that closes itself), and the page collecting its tokens.
 */
@ApiTags('sign-in')
@Controller('sites/:key/sign-in')
// The site is the path's, whatever the header names: its origins are the ones a page needs.
@OriginCheckedByRoute()
export class SignInController {
  constructor(
    private readonly sites: SitesDirectory,
    private readonly signIns: SiteSignIns,
    private readonly origins: SiteOrigins,
  ) {}

  /**
   * Sends the browser to the site's provider (authorization code with PKCE); asked for JSON
   * (`Accept: application/json`), answers the provider's URL instead.
   */
  @Get()
  @Access('public')
  @ApiFoundResponse({ description: "To the site's OpenID provider" })
  @ApiOkResponse({ type: SignInStartView, description: "Asked for JSON: the provider's URL to open" })
  @ApiProblem(
    403,
    "ORIGIN_NOT_ALLOWED: `origin` is not one of the site's origins (the service's own pages, such as the console, always may sign in)",
  )
  @ApiProblem(404, 'NOT_FOUND: no such site, or it has no OpenID provider to sign in with')
  async begin(
    @Param('key') key: string,
    @Query() query: BeginSignInQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const site = await this.sites.byKey(key);
    const origin = normalizedOrigin(query.origin);
    if (!origin) {
      const message = 'origin must be an origin: scheme://host[:port]';
      throw AppError.validation(message, [{ field: 'origin', messages: [message] }]);
    }
    // The page that asks, and the one the window tells when it is done (a page of the site's, or
    // one of ours; a window opened at once sends no Origin).
    this.origins.mustAllow([site], request.headers.origin, request.host);
    this.origins.mustAllow([site], origin, request.host);
    const url = await this.signIns.begin(site, origin, query.pickup, callbackUrl(request, key));
    if (/application\/json/.test(request.headers.accept ?? '')) return void reply.send({ url });
    // The provider's page, not ours, decides whether the window keeps its opener.
    void reply.header('cross-origin-opener-policy', 'unsafe-none').redirect(url, 302);
  }

  /** Where the provider sends the browser back: a page that says so, and closes. */
  @Get('callback')
  @Access('public')
  @ApiQuery({ name: 'state', type: String, description: 'As the provider sends it back (with its code)' })
  @ApiOkResponse({ description: 'A page saying the reader is signed in', content: HTML })
  @ApiResponse({ status: 400, description: 'The provider sent no usable state', content: PAGE_OR_PROBLEM })
  @ApiResponse({
    status: 401,
    description: 'The provider refused, or its answer did not verify',
    content: PAGE_OR_PROBLEM,
  })
  @ApiResponse({ status: 404, description: 'The sign-in expired or was finished already', content: PAGE_OR_PROBLEM })
  async callback(
    @Param('key') key: string,
    // (Read whole: a provider adds parameters of its own, which a DTO would refuse.)
    @Query('state') state: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const page = () =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'`)
        .header('cross-origin-opener-policy', 'unsafe-none')
        .header('cache-control', 'no-store');
    try {
      if (typeof state !== 'string' || state.length < 1 || state.length > 512)
        throw AppError.validation('The provider sent no usable state');
      const site = await this.sites.byKey(key);
      const { origin } = await this.signIns.finish(site, `${callbackUrl(request, key)}${queryOf(request)}`, state);
      void page().send(donePage(nonce, site.key, origin));
    } catch (error) {
      // A browser (the reader's window) gets a page; any other client the problem.
      if (!(error instanceof AppError) || !/text\/html/.test(request.headers.accept ?? '')) throw error;
      void page().code(error.status).send(failedPage(error.message));
    }
  }

  /** The tokens of a finished sign-in, once (202 while the reader is still at the provider). */
  @Post('pickup')
  @HttpCode(200)
  @Access('public')
  @ApiOkResponse({ type: SessionTokensResponse })
  @ApiResponse({
    status: 202,
    description: 'The reader has not finished signing in yet: ask again shortly',
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['pending'] } }, required: ['status'] },
  })
  @ApiProblem(404, 'NOT_FOUND: no sign-in under way with this pickup (it expired, or was collected)')
  async pickup(
    @Param('key') key: string,
    @Body() dto: PickupDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokensResponse | { status: 'pending' }> {
    const site = await this.sites.byKey(key);
    this.origins.mustAllow([site], request.headers.origin, request.host);
    const tokens = await this.signIns.collect(site, dto.pickup);
    if (tokens) return tokens;
    reply.code(202);
    return { status: 'pending' };
  }
}

/** Our callback's URL as the browser reaches us (the provider's client must list it). */
function callbackUrl(request: FastifyRequest, key: string): string {
  return `${request.protocol}://${request.host}/api/sites/${encodeURIComponent(key)}/sign-in/callback`;
}

const queryOf = (request: FastifyRequest) => {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
};

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1a1a1a}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></main>${script}</body></html>`;
}

function donePage(nonce: string, site: string, origin: string): string {
  // Only word that it is done goes to the opener: the page collects its tokens with its own secret.
  const message = JSON.stringify({ type: 'comment-desk:signed-in', site }).replace(/</g, '\\u003c');
  const script = `<script nonce="${nonce}">try{window.opener&&window.opener.postMessage(${message},${JSON.stringify(
    origin,
  ).replace(/</g, '\\u003c')})}catch(e){}setTimeout(function(){window.close()},300)</script>`;
  return page('You are signed in', 'You can close this window and go back to the comments.', script);
}

const failedPage = (detail: string) => page('The sign-in did not work', `${detail}. Close this window and try again.`);
