import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, OriginCheckedByRoute } from '../auth/access.decorator';
import { ApiProblem } from '../openapi/openapi-document';
import { SiteOrigins } from '../sites/site-origins';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { Sessions, SessionTokensView } from './sessions.service';

export class SessionTokensResponse implements SessionTokensView {
  @ApiProperty({ description: 'A bearer token for the API, valid for expiresIn seconds' })
  accessToken: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'The refresh token to use next time (null: keep the one you hold, another tab replaced it a moment ago)',
  })
  refreshToken: string | null;
  @ApiProperty()
  expiresIn: number;
}

/** Sessions that Comment Desk holds after a sign-in with a site's OpenID provider. */
@ApiTags('sign-in')
@Controller('sessions')
// A session is its site's, whatever the header names: a page of that site's origins keeps it.
@OriginCheckedByRoute()
export class SessionsController {
  constructor(
    private readonly sessions: Sessions,
    private readonly origins: SiteOrigins,
  ) {}

  /** Refuses a page of an origin that the session's site does not list (an unknown token is the service's to refuse). */
  private async mustAllowPage(refreshToken: string, request: FastifyRequest): Promise<void> {
    const site = await this.sessions.siteOf(refreshToken);
    if (site) this.origins.mustAllow([site], request.headers.origin, request.host);
  }

  /** A new access token; the refresh token is replaced (use the new one next time). */
  @Post('refresh')
  @HttpCode(200)
  @Access('public')
  @ApiOkResponse({ type: SessionTokensResponse })
  @ApiProblem(401, 'UNAUTHENTICATED: the sign-in has ended (signed out, expired, or its refresh token was used twice)')
  async refresh(@Body() dto: RefreshTokenDto, @Req() request: FastifyRequest): Promise<SessionTokensResponse> {
    await this.mustAllowPage(dto.refreshToken, request);
    return this.sessions.refresh(dto.refreshToken);
  }

  /** Ends the session; its access tokens lapse within minutes. */
  @Post('sign-out')
  @HttpCode(204)
  @Access('public')
  @ApiNoContentResponse()
  async signOut(@Body() dto: RefreshTokenDto, @Req() request: FastifyRequest): Promise<void> {
    await this.mustAllowPage(dto.refreshToken, request);
    await this.sessions.signOut(dto.refreshToken);
  }
}
