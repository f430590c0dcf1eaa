import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';

export class AskEmailSignInDto {
  /** Where to send the link. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'address must be an email address' })
  address: string;

  /** The name the reader's comments are shown under. */
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsStorableText()
  name: string;

  /** The SHA-256, in base64url, of a secret the page keeps to collect its tokens with (POST …/sign-in/pickup). */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'pickup must be a SHA-256 in base64url (43 characters)' })
  pickup: string;

  /** The origin of the page that asks (the email names it). */
  @IsString()
  @Matches(/^https?:\/\/[^/?#\s]+$/, { message: 'origin must be an origin: scheme://host[:port]' })
  @MaxLength(300)
  origin: string;

  /** The thread's language (BCP 47): the email's, when Comment Desk has it; English otherwise. */
  @IsOmittable()
  @IsString()
  @Matches(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/, { message: 'lang must be a language tag' })
  @MaxLength(35)
  lang?: string;
}

export class EmailSignInAskedView {
  /** Always "sent": whether or not the address is known, the answer is the same. */
  @ApiProperty({ enum: ['sent'] })
  status: 'sent';
  /** How long the link works. */
  expiresInMinutes: number;
}

export class EmailLinkTokenDto {
  /** The token of the emailed link. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be a sign-in link token' })
  token: string;
}

export class EmailSignedInView {
  @ApiProperty({ enum: ['signed-in'] })
  status: 'signed-in';
}
