import type { Settings } from '../api/client';
import { RATE_LIMITS, SETTING_FIELDS } from '../field-names';

/** The settings form's model: the fields as typed, and what of them is sent. */

export type LimitName = keyof typeof RATE_LIMITS;
export const LIMITS = Object.entries(RATE_LIMITS) as [LimitName, string][];
interface RateLimit {
  limit: number;
  perSeconds: number;
}

const numberField = <N extends keyof Settings>(name: N, hint?: string) =>
  [name, SETTING_FIELDS[name].label, hint] as const;

export const NUMBERS = [
  numberField('maxLinks'),
  numberField('premodNewCommenters', '0: none are held for being new.'),
  numberField('reportThreshold'),
  numberField('maxCommentLength'),
  numberField('editWindowSeconds'),
  numberField('autoCloseAfterDays', 'Empty: never.'),
  numberField(
    'replyDepth',
    '1 to 10. Deeper replies go on at the last level, each saying whom it answers; readers may reply at any depth.',
  ),
] as const;
/** Shown with the other settings of new articles. */
export const CREATIONS_PER_HOUR = numberField(
  'articleCreationsPerHour',
  'All readers together; each reader’s address also has its own limit below.',
);
export type NumberName = (typeof NUMBERS)[number][0] | (typeof CREATIONS_PER_HOUR)[0];
export const ALL_NUMBERS = [...NUMBERS, CREATIONS_PER_HOUR];

export const TRAILING_SLASH = [
  ['strip', 'The same article, its address kept without the slash'],
  ['add', 'The same article, its address kept with the slash'],
  ['keep', 'Two different articles'],
] as const;

export const LISTS = [
  'bannedWords',
  'suspectWords',
  'rejectionReasons',
  'articleAutoCreatePrefixes',
  'articleUrlQueryParams',
] as const;
export type ListName = (typeof LISTS)[number];

/** The form as typed: numbers and one-per-line lists are kept as text until they are sent. */
export interface Draft extends Record<NumberName | ListName, string> {
  defaultModerationMode: Settings['defaultModerationMode'];
  defaultDisclaimerText: string;
  defaultClosedMessage: string;
  articleUrlTrailingSlash: Settings['articleUrlTrailingSlash'];
  rateLimits: Record<LimitName, { limit: string; perSeconds: string }>;
}

const rateLimitsOf = (s: Settings) => s.rateLimits as unknown as Partial<Record<LimitName, RateLimit>>;

export function draftOf(s: Settings): Draft {
  const limits = rateLimitsOf(s);
  return {
    bannedWords: s.bannedWords.join('\n'),
    suspectWords: s.suspectWords.join('\n'),
    rejectionReasons: s.rejectionReasons.join('\n'),
    articleAutoCreatePrefixes: s.articleAutoCreatePrefixes.join('\n'),
    articleUrlQueryParams: s.articleUrlQueryParams.join('\n'),
    articleUrlTrailingSlash: s.articleUrlTrailingSlash,
    articleCreationsPerHour: String(s.articleCreationsPerHour),
    maxLinks: String(s.maxLinks),
    premodNewCommenters: String(s.premodNewCommenters),
    reportThreshold: String(s.reportThreshold),
    maxCommentLength: String(s.maxCommentLength),
    editWindowSeconds: String(s.editWindowSeconds),
    replyDepth: String(s.replyDepth),
    autoCloseAfterDays: s.autoCloseAfterDays === null ? '' : String(s.autoCloseAfterDays),
    defaultModerationMode: s.defaultModerationMode,
    defaultDisclaimerText: s.defaultDisclaimerText,
    defaultClosedMessage: s.defaultClosedMessage,
    rateLimits: Object.fromEntries(
      LIMITS.map(([name]) => [
        name,
        { limit: String(limits[name]?.limit ?? ''), perSeconds: String(limits[name]?.perSeconds ?? '') },
      ]),
    ) as Draft['rateLimits'],
  };
}

/** One entry a line, as pasted: trimmed, empty lines and repeats (in any letter case) dropped. */
export function lines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const key = line.toLowerCase();
    if (line && !seen.has(key)) {
      seen.add(key);
      out.push(line);
    }
  }
  return out;
}

/** A number field as sent: empty is null (the API says when that is not allowed). */
const numberOf = (text: string): number | null => (text.trim() === '' ? null : Number(text));

export type Patch = Record<string, unknown>;

/** Only what the admin changed is sent: a setting changed meanwhile by someone else is kept. */
export function changes(d: Draft, s: Settings): Patch {
  const patch: Patch = {};
  for (const name of LISTS) {
    const list = lines(d[name]);
    if (JSON.stringify(list) !== JSON.stringify(s[name])) patch[name] = list;
  }
  for (const [name] of ALL_NUMBERS) {
    const value = numberOf(d[name]);
    if (value !== s[name]) patch[name] = value;
  }
  if (d.articleUrlTrailingSlash !== s.articleUrlTrailingSlash)
    patch.articleUrlTrailingSlash = d.articleUrlTrailingSlash;
  for (const name of ['defaultModerationMode', 'defaultDisclaimerText', 'defaultClosedMessage'] as const) {
    const value = d[name].trim();
    if (value !== s[name]) patch[name] = value;
  }
  const limits = rateLimitsOf(s);
  const typed = Object.fromEntries(
    LIMITS.map(([name]) => [
      name,
      { limit: numberOf(d.rateLimits[name].limit), perSeconds: numberOf(d.rateLimits[name].perSeconds) },
    ]),
  );
  // The API takes the rate limits whole.
  if (LIMITS.some(([n]) => typed[n].limit !== limits[n]?.limit || typed[n].perSeconds !== limits[n]?.perSeconds))
    patch.rateLimits = typed;
  return patch;
}
