const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

// Intl formatters are slow to build: one of each per language, not one per comment.
const formats = new Map<string, [Intl.RelativeTimeFormat, Intl.DateTimeFormat]>();
function formatsFor(lang: string): [Intl.RelativeTimeFormat, Intl.DateTimeFormat] {
  let pair = formats.get(lang);
  if (!pair) {
    pair = [
      new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
      new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }),
    ];
    formats.set(lang, pair);
  }
  return pair;
}

/** "3 minutes ago", in the thread's language. */
export function relativeTime(iso: string, lang: string): string {
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  const format = formatsFor(lang)[0];
  for (const [unit, size] of UNITS)
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(0, 'second');
}

/** The date and time in full, in the thread's language. */
export const fullTime = (iso: string, lang: string): string => formatsFor(lang)[1].format(new Date(iso));
