import type { Role } from '../common/roles';
import { withoutBidiControls } from '../common/text';
import { AppError } from '../errors/app-error';
import { ClaimNames, RoleValues } from './site-identity';

/** Who a verified token says its bearer is, in our terms whatever the provider's claim names. */
export interface VerifiedIdentity {
  sub: string;
  name: string | null;
  role: Role;
  email: string | null;
  emailVerified: boolean;
  badges: string[];
  /** Milliseconds since the epoch: the token's exp. */
  expiresAt: number;
}

const MAX_CLAIM_LENGTH = 200;
const MAX_EMAIL_LENGTH = 320;
const MAX_BADGES = 10;
const MAX_BADGE_LENGTH = 40;

const DEFAULT_CLAIMS: Required<Omit<ClaimNames, 'badges'>> = {
  id: 'sub',
  name: 'name',
  role: 'role',
  email: 'email',
  emailVerified: 'email_verified',
};
const DEFAULT_ROLES: Required<RoleValues> = { moderator: ['moderator'], admin: ['admin'] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A claim by name, or by dotted path into nested objects ("realm_access.roles"). A name that is
 * itself a claim wins: namespaced claims are URLs, dots included ("https://news.example/roles").
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (!isRecord(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** Text we can store and show: well-formed, no NUL. */
const isUsableText = (value: unknown, maxLength: number): value is string =>
  typeof value === 'string' && value.length <= maxLength && value.isWellFormed() && !value.includes('\u0000');

export interface ClaimMapping {
  claims?: ClaimNames;
  roles?: RoleValues;
  /**
   * The installation's own login signs our role names: any other value is refused, as it always
   * was. A provider's role claim lists roles of its own, which mean commenter.
   */
  strictRoles?: boolean;
}

/** The role a role claim (a string or an array of strings) gives: admin first, then moderator. */
export function roleOf(value: unknown, roles: RoleValues = {}, strict = false): Role {
  const admin = roles.admin ?? DEFAULT_ROLES.admin;
  const moderator = roles.moderator ?? DEFAULT_ROLES.moderator;
  if (strict) {
    if (value === undefined) return 'commenter';
    if (typeof value === 'string') {
      if (admin.includes(value)) return 'admin';
      if (moderator.includes(value)) return 'moderator';
      if (value === 'commenter') return 'commenter';
    }
    throw AppError.unauthenticated('The token has an unknown role');
  }
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  if (values.some((v) => admin.includes(v))) return 'admin';
  if (values.some((v) => moderator.includes(v))) return 'moderator';
  return 'commenter';
}

function badgesOf(value: unknown): string[] {
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const badges: string[] = [];
  for (const v of values) {
    if (!isUsableText(v, MAX_BADGE_LENGTH)) continue;
    const shown = withoutBidiControls(v).trim();
    if (shown !== '' && !badges.includes(shown)) badges.push(shown);
    if (badges.length === MAX_BADGES) break;
  }
  return badges;
}

/** A verified token's claims in our terms; refused (401) when they name no usable user. */
export function toVerifiedIdentity(
  claims: Record<string, unknown>,
  mapping: ClaimMapping,
  expiresAt: number,
): VerifiedIdentity {
  const names = { ...DEFAULT_CLAIMS, ...mapping.claims };
  const sub = claimAt(claims, names.id);
  const name = claimAt(claims, names.name);
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_CLAIM_LENGTH || !sub.isWellFormed()) {
    throw AppError.unauthenticated('The token has no usable sub claim');
  }
  if (
    name !== undefined &&
    name !== null &&
    (typeof name !== 'string' || name.length > MAX_CLAIM_LENGTH || !name.isWellFormed())
  ) {
    throw AppError.unauthenticated('The token has an unusable name claim');
  }
  const role = roleOf(claimAt(claims, names.role), mapping.roles, mapping.strictRoles);
  if (sub.includes('\u0000') || (typeof name === 'string' && name.includes('\u0000'))) {
    throw AppError.unauthenticated('The token has unusable claims');
  }
  // An address is only kept when it looks like one; a provider's odd value must not lock anyone out.
  const email = claimAt(claims, names.email);
  const usableEmail = isUsableText(email, MAX_EMAIL_LENGTH) && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  const verified = claimAt(claims, names.emailVerified);
  return {
    sub,
    // A name is shown beside other text: directional overrides in it would reverse what follows.
    name: typeof name === 'string' ? withoutBidiControls(name) : null,
    role,
    email: usableEmail,
    // Some providers send the flag as a string.
    emailVerified: usableEmail !== null && (verified === true || verified === 'true'),
    badges: mapping.claims?.badges ? badgesOf(claimAt(claims, mapping.claims.badges)) : [],
    expiresAt,
  };
}
