import { IsString, Matches } from 'class-validator';

export class BeginSignInQueryDto {
  /** The origin of the page that opens the sign-in (it is told when it is done). */
  @IsString()
  @Matches(/^https?:\/\/[^/?#\s]+$/, { message: 'origin must be an origin: scheme://host[:port]' })
  origin: string;

  /** The SHA-256, in base64url, of a secret the page keeps to collect its tokens with. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'pickup must be a SHA-256 in base64url (43 characters)' })
  pickup: string;
}

export class SignInStartView {
  /** The provider's authorization URL to open. */
  url: string;
}

export class PickupDto {
  /** The secret whose SHA-256 began the sign-in. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43,128}$/, { message: 'pickup must be 43 to 128 base64url characters' })
  pickup: string;
}
