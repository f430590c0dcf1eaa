import { IsString, Length, Matches } from 'class-validator';

export class RefreshTokenDto {
  /** The refresh token of a session, as the sign-in or the last refresh gave it. */
  @IsString()
  @Length(43, 43)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'refreshToken must be a refresh token' })
  refreshToken: string;
}
