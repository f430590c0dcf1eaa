import { Body, Controller, Get, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { AppError } from '../errors/app-error';
import { ApiProblem } from '../openapi/openapi-document';
import { EmailLinkTokenDto } from '../sign-in/dto/email-sign-in.dto';
import { DigestChoiceDto, DigestView } from './dto/digest.dto';
import { ModeratorDigests } from './moderator-digests.service';

const HTML = { 'text/html': { schema: { type: 'string' } } };
const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** The moderator's digest of their queues: off, hourly or daily, to an address they confirm. */
@ApiTags('moderation')
@ApiBearerAuth()
@Access('moderator')
@Controller('moderation/digest')
export class ModeratorDigestsController {
  constructor(private readonly digests: ModeratorDigests) {}

  @Get()
  view(@CurrentUser() user: AuthUser): Promise<DigestView> {
    return this.digests.view(user);
  }

  /** Chooses the digest; a new address gets a link to confirm it, and nothing else until then. */
  @Put()
  @ApiProblem(404, 'NOT_FOUND: this installation sends no email')
  choose(
    @Body() dto: DigestChoiceDto,
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
  ): Promise<DigestView> {
    return this.digests.choose(user, dto, `${origin(request)}/desk/`, `${origin(request)}/api/digest-confirmations`);
  }
}

/** The link that confirms a digest's address (opened from the email, without the moderator's token). */
@ApiTags('moderation')
@Controller('digest-confirmations')
export class DigestConfirmationsController {
  constructor(private readonly digests: ModeratorDigests) {}

  @Get()
  @Access('public')
  @ApiOkResponse({ description: 'The address is confirmed', content: HTML })
  @ApiResponse({
    status: 404,
    description: 'No such confirmation (used, or the address changed since)',
    content: { ...HTML, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  async confirm(
    @Query() query: EmailLinkTokenDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = (status: number, title: string, body: string) =>
      void reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('cache-control', 'no-store')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
            `<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:36rem;padding:0 1rem}</style></head>` +
            `<body><main><h1>${title}</h1><p>${body}</p></main></body></html>`,
        );
    try {
      await this.digests.confirm(query.token);
      page(
        200,
        'Your digest is confirmed',
        'Your moderation digest will come to this address. You can close this page.',
      );
    } catch (error) {
      if (!(error instanceof AppError) || !/text\/html/.test(request.headers.accept ?? '')) throw error;
      page(
        error.status,
        'This link does not work',
        'It was used already, or the address changed since. Choose the digest again in the console.',
      );
    }
  }
}
