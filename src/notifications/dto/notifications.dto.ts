import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, Length, Matches } from 'class-validator';
import { IsOmittable } from '../../common/omittable';

export const FREQUENCIES = ['immediate', 'hourly', 'daily'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** A BCP 47 language tag, as the embed's lang attribute gives it. */
const LANG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$/;

export class NotificationPreferencesDto {
  @ApiProperty({ description: 'Email me when someone replies to my comments (once the reply is visible)' })
  @IsBoolean()
  replies: boolean;

  @ApiProperty({ description: 'Email me when a moderator approves a comment of mine that was held' })
  @IsBoolean()
  approved: boolean;

  @ApiProperty({ description: 'Email me when a moderator rejects a comment of mine, with the reason' })
  @IsBoolean()
  rejected: boolean;

  @ApiProperty({ enum: FREQUENCIES, description: 'Each at once, or gathered in one email an hour or a day' })
  @IsIn(FREQUENCIES)
  frequency: Frequency;

  @ApiPropertyOptional({ example: 'fr', description: "The emails' language (the embed's); absent: unchanged" })
  @IsOmittable()
  @IsString()
  @Matches(LANG, { message: 'lang must be a language tag such as fr or pt-BR' })
  lang?: string;
}

export class NotificationAddressDto {
  @ApiProperty({
    example: 'reader@example.org',
    description: 'Where to send notifications: a link to confirm it is sent there',
  })
  @IsString()
  @Length(3, 320)
  @Matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'address must be an email address' })
  address: string;

  @ApiPropertyOptional({ example: 'fr', description: "The confirmation email's language" })
  @IsOmittable()
  @IsString()
  @Matches(LANG, { message: 'lang must be a language tag such as fr or pt-BR' })
  lang?: string;
}
