import { capitalize, count } from './format';

/**
 * A field of the API as a person reads it: its label on the form, the name it goes by in a
 * sentence (the log, an error), and the unit of its number.
 */
export interface FieldName {
  label: string;
  /** In a sentence; the label when absent. */
  name?: string;
  /** Singular and plural: "Edit window must not be less than 0 seconds". */
  unit?: readonly [string, string];
}

const SECONDS = ['second', 'seconds'] as const;

/** The rate limits the settings hold, by their names in the API. */
export const RATE_LIMITS = {
  post: 'Posting a comment (per user)',
  edit: 'Editing a comment (per user)',
  report: 'Reporting a comment (per user)',
  createArticle: 'An embed creating an article (per address)',
  address: 'Any request (per address)',
} as const;

/** Every moderation setting: the settings page's labels, the log's and the errors' names. */
export const SETTING_FIELDS = {
  bannedWords: { label: 'Banned words' },
  suspectWords: { label: 'Suspect words' },
  rejectionReasons: { label: 'Reasons for a rejection', name: 'Rejection reasons' },
  maxLinks: { label: 'Links a comment may have before it is held', name: 'Links before a comment is held' },
  premodNewCommenters: {
    label: 'Approved comments before a new commenter’s go up unseen',
    name: 'Approved comments of a new commenter',
  },
  reportThreshold: { label: 'Open reports that hold a published comment', name: 'Report threshold' },
  maxCommentLength: {
    label: 'Longest comment, in characters',
    name: 'Longest comment',
    unit: ['character', 'characters'],
  },
  editWindowSeconds: { label: 'Time to edit a comment after posting, in seconds', name: 'Edit window', unit: SECONDS },
  autoCloseAfterDays: {
    label: 'Close articles by themselves after, in days',
    name: 'Closing articles by themselves',
    unit: ['day', 'days'],
  },
  replyDepth: {
    label: 'Levels of replies to replies that the embed indents',
    name: 'Reply depth',
    unit: ['level', 'levels'],
  },
  articleCreationsPerHour: { label: 'Articles embeds may create in an hour' },
  defaultModerationMode: { label: 'Moderation of a new article' },
  defaultDisclaimerText: { label: 'Disclaimer above unmoderated comments', name: 'Default disclaimer' },
  defaultClosedMessage: { label: 'Message of a closed article' },
  articleAutoCreatePrefixes: { label: 'Addresses where an embed may create its article' },
  articleUrlQueryParams: { label: 'Query parameters that name an article' },
  articleUrlTrailingSlash: {
    label: 'An address with a slash at the end (…/story/) and one without (…/story) are',
    name: 'Addresses with and without a slash at the end',
  },
  rateLimits: { label: 'Rate limits' },
  ...Object.fromEntries(
    Object.entries(RATE_LIMITS).flatMap(([name, label]) => [
      [`rateLimits.${name}`, { label }],
      [`rateLimits.${name}.limit`, { label: `${label}: requests` }],
      [`rateLimits.${name}.perSeconds`, { label: `${label}: per seconds`, unit: SECONDS }],
    ]),
  ),
} satisfies Record<string, FieldName> as Record<string, FieldName>;

/** A field's name in a sentence: known, or its API name in words ("commentIds" → "comment ids"). */
export function fieldName(field: string, names: Record<string, FieldName> = SETTING_FIELDS): string {
  const known = names[field];
  if (known) return known.name ?? known.label;
  const last = field.split('.').at(-1) ?? field;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * One of the API's validation messages, which name the field as the API does ("editWindowSeconds
 * must not be less than 0"), said with the field's name and unit ("Edit window must not be less
 * than 0 seconds").
 */
export function fieldMessage(field: string, message: string, names: Record<string, FieldName>): string {
  const name = fieldName(field, names);
  const unit = names[field]?.unit;
  const last = field.split('.').at(-1) ?? field;
  let said = message.startsWith(`${field} `)
    ? `${name}${message.slice(field.length)}`
    : message.startsWith(`${last} `)
      ? `${name}${message.slice(last.length)}`
      : message.replace(/^each (?:value in|of) \S+/, `each entry of ${name.toLowerCase()}`);
  said = said
    .replace('must be longer than or equal to 1 characters', 'must not be empty')
    .replace(/must be (longer|shorter) than or equal to (\d+) characters/, (_, side: string, n: string) => {
      const length = count(Number(n), 'character', 'characters');
      return side === 'longer' ? `must be at least ${length} long` : `must be at most ${length} long`;
    })
    .replace('must be an integer number', 'must be a whole number')
    .replace('must be a number conforming to the specified constraints', 'must be a number')
    .replace('must be a URL address', 'must be a whole address, starting with https://')
    .replace(
      /must contain no more than (\d+) elements/,
      (_, n: string) => `may have at most ${count(Number(n), 'entry', 'entries')}`,
    );
  if (unit)
    said = said.replace(
      /(must not be (?:less|greater) than) (-?\d+)$/,
      (_, rule, n) => `${rule} ${count(Number(n), ...unit)}`,
    );
  if (said === message && !message.includes(name)) said = `${name}: ${message}`;
  return capitalize(said);
}
