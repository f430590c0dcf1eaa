import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsObject,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';

/** HS256 secrets a site holds at once: the current one and those being rotated out. */
export const MAX_SECRETS = 3;
/** HS256 needs a key as long as its hash: a shorter secret is guessable offline from any token. */
export const MIN_SECRET_LENGTH = 32;
const CLAIM_NAME = /^[^\s]+$/;
const PROVIDER_URL = { protocols: ['https', 'http'], require_protocol: true, require_tld: false };

export class SiteSignInDto {
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  clientId: string;

  /** Write-only: read back as a fingerprint; left out on a change, the stored one is kept. */
  @IsOmittable()
  @IsString()
  @Length(1, 500)
  @IsStorableText()
  clientSecret?: string;

  /** Asked for besides openid. */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, { each: true, message: 'scopes must be scope names' })
  scopes?: string[];
}

/** Which claims hold the user's id, name and role (a claim name, or a dotted path to it). */
export class ClaimNamesDto {
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'id must be a claim name, without spaces' })
  id?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'name must be a claim name, without spaces' })
  name?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'role must be a claim name, without spaces' })
  role?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'email must be a claim name, without spaces' })
  email?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'emailVerified must be a claim name, without spaces' })
  emailVerified?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'badges must be a claim name, without spaces' })
  badges?: string;
}

/** The role claim's values that mean moderator or admin; any other means commenter. */
export class RoleValuesDto {
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @IsStorableText({ each: true })
  moderator?: string[];

  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @IsStorableText({ each: true })
  admin?: string[];
}

/**
 * How a site's tokens are verified and its readers sign in. Replaces the stored identity, except
 * what is write-only: `secrets` left out keeps the stored ones (`[]` removes them), and a
 * `signIn` without `clientSecret` keeps the stored client secret.
 */
export class SiteIdentityDto {
  /** OIDC issuer, exactly as its tokens' iss. */
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  @IsUrl(PROVIDER_URL, { message: 'issuer must be an http(s) URL' })
  issuer?: string;

  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  @IsUrl(PROVIDER_URL, { message: 'jwksUrl must be an http(s) URL' })
  jwksUrl?: string;

  /** PEM public keys (several during a rotation). */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(10_000, { each: true })
  @Matches(/-----BEGIN (RSA )?PUBLIC KEY-----/, { each: true, message: 'each of publicKeys must be a PEM public key' })
  publicKeys?: string[];

  /** HS256 shared secrets, the first signing; write-only (read back as fingerprints). */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_SECRETS)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(MIN_SECRET_LENGTH, {
    each: true,
    message: `each of secrets must be at least ${MIN_SECRET_LENGTH} characters long`,
  })
  @MaxLength(1000, { each: true })
  secrets?: string[];

  /** Required aud when set. */
  @IsOmittable()
  @IsString()
  @Length(1, 500)
  @IsStorableText()
  audience?: string;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => SiteSignInDto)
  signIn?: SiteSignInDto;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => ClaimNamesDto)
  claims?: ClaimNamesDto;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RoleValuesDto)
  roles?: RoleValuesDto;
}
