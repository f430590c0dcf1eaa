import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { ApiProblem } from '../openapi/openapi-document';
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
export class SessionsController {
  constructor(private readonly sessions: Sessions) {}

  /** A new access token; the refresh token is replaced (use the new one next time). */
  @Post('refresh')
  @HttpCode(200)
  @Access('public')
  @ApiOkResponse({ type: SessionTokensResponse })
  @ApiProblem(401, 'UNAUTHENTICATED: the sign-in has ended (signed out, expired, or its refresh token was used twice)')
  refresh(@Body() dto: RefreshTokenDto): Promise<SessionTokensResponse> {
    return this.sessions.refresh(dto.refreshToken);
  }

  /** Ends the session; its access tokens lapse within minutes. */
  @Post('sign-out')
  @HttpCode(204)
  @Access('public')
  @ApiNoContentResponse()
  async signOut(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.sessions.signOut(dto.refreshToken);
  }
}
