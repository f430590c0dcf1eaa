import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsObject,
  IsString,
  Length,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { createPublicKey } from 'node:crypto';
import { IsOmittable } from '../common/omittable';
import { IsStorableText } from '../common/text';
import { FieldError } from '../errors/app-error';
import { ClaimNames, RoleValues, SiteIdentity, SiteSignIn } from './site-identity';

/** Keys and secrets a site may list at once: the current one and those being rotated out. */
export const MAX_KEYS = 5;
/** HS256 needs a key as long as its hash: a shorter secret is guessable offline from any token. */
export const MIN_SECRET_BYTES = 32;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a provider's URL cannot be used, or null: https, or http on this machine (a test's provider). */
export function providerUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must be an https URL';
}

/** Why a PEM text cannot be a key that verifies signatures, or null. */
export function publicKeyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !/-----BEGIN (RSA )?PUBLIC KEY-----/.test(value))
    return 'must be a PEM public key (SPKI, or PKCS#1 for RSA)';
  try {
    const key = createPublicKey(value);
    if (key.asymmetricKeyType === 'rsa') {
      return (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048 ? 'must be an RSA key of 2048 bits or more' : null;
    }
    return ['ec', 'ed25519', 'ed448', 'rsa-pss'].includes(key.asymmetricKeyType ?? '')
      ? null
      : 'must be an RSA, EC or Ed25519 key';
  } catch {
    return 'must be a PEM public key (SPKI, or PKCS#1 for RSA)';
  }
}

function Satisfies(name: string, problem: (value: unknown) => string | null, each = false) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          each ? Array.isArray(value) && value.every((v) => problem(v) === null) : problem(value) === null,
        defaultMessage: (args) => {
          const values = each && Array.isArray(args?.value) ? args.value : [args?.value];
          const found = values.map(problem).find((p) => p !== null);
          return `${propertyName} ${found ?? 'is not valid'}`;
        },
      },
    });
}

/** A claim's name, or a dotted path to it: no spaces, as providers name them. */
const CLAIM_NAME = /^[^\s]+$/;
/** RFC 6749 scope-token characters. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export class SiteSignInDto implements SiteSignIn {
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  clientId: string;

  /** Write-only: read back as a fingerprint. Left out for a public client (PKCE only). */
  @IsOmittable()
  @IsString()
  @Length(1, 500)
  @IsStorableText()
  clientSecret?: string;

  /** Asked for besides openid; default profile and email. */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(SCOPE, { each: true, message: 'scopes must be scope names without spaces or quotes' })
  @MaxLength(100, { each: true })
  scopes?: string[];
}

export class ClaimNamesDto implements ClaimNames {
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'id must be a claim name or a dotted path, without spaces' })
  @IsStorableText()
  id?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'name must be a claim name or a dotted path, without spaces' })
  @IsStorableText()
  name?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'role must be a claim name or a dotted path, without spaces' })
  @IsStorableText()
  role?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'email must be a claim name or a dotted path, without spaces' })
  @IsStorableText()
  email?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'emailVerified must be a claim name or a dotted path, without spaces' })
  @IsStorableText()
  emailVerified?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(CLAIM_NAME, { message: 'badges must be a claim name or a dotted path, without spaces' })
  @IsStorableText()
  badges?: string;
}

export class RoleValuesDto implements RoleValues {
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
 * A site's identity as an admin sets it (replacing the stored one). The keys come from secrets,
 * publicKeys or jwksUrl, else from the issuer's discovery document: siteIdentityProblems says
 * when none is given.
 */
export class SiteIdentityDto implements SiteIdentity {
  /** OIDC issuer, exactly as its tokens' iss (trailing slash included when it has one). */
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  @Satisfies('isProviderUrl', providerUrlProblem)
  issuer?: string;

  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  @Satisfies('isProviderUrl', providerUrlProblem)
  jwksUrl?: string;

  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_KEYS)
  @ArrayUnique()
  @MaxLength(10_000, { each: true })
  @Satisfies('isPublicKeyPem', publicKeyProblem, true)
  publicKeys?: string[];

  /** Write-only: read back as fingerprints. */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_KEYS)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  @Satisfies(
    'isLongSecret',
    (v) =>
      typeof v === 'string' && Buffer.byteLength(v, 'utf8') >= MIN_SECRET_BYTES
        ? null
        : `must each be at least ${MIN_SECRET_BYTES} bytes long`,
    true,
  )
  secrets?: string[];

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

  /** Readers may sign in by a single-use link emailed to them: for a site without a login of its own. */
  @IsOmittable()
  @IsBoolean()
  emailLinks?: boolean;
}

/** What the fields cannot say alone: where the keys come from, and sign-in needing an issuer. */
export function siteIdentityProblems(identity: SiteIdentity): FieldError[] {
  const problems: FieldError[] = [];
  const { issuer, jwksUrl, publicKeys, secrets, signIn, emailLinks } = identity;
  if (!issuer && !jwksUrl && !publicKeys?.length && !secrets?.length && !emailLinks) {
    problems.push({
      field: 'issuer',
      messages: ['an identity needs an issuer, a jwksUrl, publicKeys or secrets to check tokens with, or emailLinks'],
    });
  }
  if (signIn && !issuer) problems.push({ field: 'signIn', messages: ['signIn needs an issuer to sign in with'] });
  return problems;
}
