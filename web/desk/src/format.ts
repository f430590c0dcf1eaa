/**
 * How the console says dates, times, numbers and counts. Dates and numbers follow the moderator's
 * locale; the words around them (relative times, plurals) follow the console's language, so that
 * a sentence is not half in one language and half in another.
 */
const locale = navigator.language;
const language = document.documentElement.lang || 'en';

const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
const plurals = new Intl.PluralRules(language);
const numbers = new Intl.NumberFormat(locale);

export function when(iso: string | Date): string {
  return dateTime.format(new Date(iso));
}

/** "3 minutes ago", for recent times; the date past a day. */
export function ago(iso: string | Date, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 60) return relative.format(seconds, 'second');
  if (Math.abs(seconds) < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return when(iso);
}

export function number(n: number): string {
  return numbers.format(n);
}

/** "1 open report", "2 open reports": the count in the moderator's digits, the noun as many as it counts. */
export function count(n: number, one: string, other: string): string {
  return `${number(n)} ${plurals.select(n) === 'one' ? one : other}`;
}

/** Every instant written out in a text (ISO 8601, as the API writes them), said as a date and time here. */
export function datesIn(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)/g, (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : when(date);
  });
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
