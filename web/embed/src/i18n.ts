import { ar } from './strings-ar';
import { en } from './strings-en';
import { fr } from './strings-fr';
import type { Strings } from './strings';

/** Every string the reader sees, one table per language (strings-*.ts). Functions take what varies. */
export type { Strings };

const TABLES: Record<string, Strings> = { en, fr, ar };
const RIGHT_TO_LEFT = new Set(['ar']);

/**
 * The table for a BCP 47 tag ("fr-CA" → fr), English when none matches, and the direction its
 * words are written in: the element lays itself out in its own language's direction, whatever the
 * page's (English strings on a right-to-left page stay left-to-right).
 */
export function stringsFor(lang: string | null | undefined): { lang: string; t: Strings; dir: 'ltr' | 'rtl' } {
  const base = (lang ?? '').toLowerCase().split('-')[0];
  if (!TABLES[base]) return { lang: 'en', t: en, dir: 'ltr' };
  return { lang: lang!, t: TABLES[base], dir: RIGHT_TO_LEFT.has(base) ? 'rtl' : 'ltr' };
}
