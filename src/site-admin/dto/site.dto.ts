import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsObject,
  IsString,
  Length,
  Matches,
  NotEquals,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';
import { normalizedOrigin } from '../../sites/site-origins';
import { SITE_KEY_PATTERN } from '../../sites/site.entity';
import { SiteIdentityDto } from '../../identity/site-identity.dto';

export const MAX_ORIGINS = 50;
const ORIGINS_MESSAGE =
  'each of origins must be a bare origin, scheme://host[:port] with http or https, without a path, query or user name';

/** Origins as browsers send them: lower case, without the scheme's default port. */
const toOrigins = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? (normalizedOrigin(v) ?? v) : v)) : value;

function IsOrigin() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isOrigin',
      target: target.constructor,
      propertyName,
      options: { each: true, message: ORIGINS_MESSAGE },
      validator: { validate: (value: unknown) => typeof value === 'string' && normalizedOrigin(value) === value },
    });
}

/** What both a new site and a change of one may give; left out, kept (or, for a new site, empty). */
class SiteSettingsDto {
  @ApiPropertyOptional({
    type: [String],
    description: `The origins (scheme://host[:port]) whose pages may use the site, up to ${MAX_ORIGINS}; stored lower case; a change replaces them all. Empty: any origin`,
    example: ['https://daily-news.example'],
  })
  @IsOmittable()
  @Transform(toOrigins)
  @IsArray()
  @ArrayMaxSize(MAX_ORIGINS)
  @IsOrigin()
  @ArrayUnique({ message: 'origins must not name an origin twice' })
  origins?: string[];

  /** How the site's tokens are verified; a change replaces it, keeping the write-only secrets it leaves out. */
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => SiteIdentityDto)
  identity?: SiteIdentityDto;
}

export class CreateSiteDto extends SiteSettingsDto {
  @ApiProperty({
    description: 'Names the site in URLs, the embed and the Comment-Desk-Site header; never changes',
    pattern: SITE_KEY_PATTERN.source,
    example: 'daily-news',
  })
  @IsString()
  @NotEquals('all', { message: 'key "all" is taken: ?site=all names every site' })
  @Matches(SITE_KEY_PATTERN, {
    message: 'key must be 1 to 40 characters, a-z, 0-9 and "-", starting with a letter or a digit',
  })
  key: string;

  @IsString()
  @Length(1, 100)
  @IsStorableText()
  name: string;
}

/** Every field is optional: the ones given are changed, the rest kept. The key never changes. */
export class UpdateSiteDto extends SiteSettingsDto {
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  @IsStorableText()
  name?: string;
}
