import {
  resolveConfusablesTransformer,
  resolveLeetSpeakTransformer,
  SimpleTransformerContainer,
  toAsciiLowerCaseTransformer,
} from 'obscenity';

/** obscenity's character tables: look-alike letters, leetspeak, then ASCII lower case. */
const CHARACTER_MAPS = [
  resolveConfusablesTransformer(),
  resolveLeetSpeakTransformer(),
  toAsciiLowerCaseTransformer(),
].map((container) => (container as SimpleTransformerContainer).transform);

/** A word as runs of one letter: "fooo" is f×1, o×3. */
export interface Runs {
  letters: string;
  counts: number[];
}

function toRuns(token: string): Runs {
  let letters = '';
  const counts: number[] = [];
  for (const char of token) {
    if (letters.endsWith(char)) counts[counts.length - 1]++;
    else {
      letters += char;
      counts.push(1);
    }
  }
  return { letters, counts };
}

/** Each character's mapping, worked out once: the tables are walked per character otherwise. */
const MAPPED = new Map<string, string>();

function mapCharacter(char: string): string {
  let mapped = MAPPED.get(char);
  if (mapped === undefined) {
    let code: number | undefined = char.codePointAt(0)!;
    for (const map of CHARACTER_MAPS) {
      code = map(code);
      if (code === undefined) break;
    }
    mapped = code === undefined ? '' : String.fromCodePoint(code);
    if (MAPPED.size < 65_536) MAPPED.set(char, mapped);
  }
  return mapped;
}

function mapCharacters(text: string): string {
  let out = '';
  for (const char of text) out += mapCharacter(char);
  return out;
}

const SEPARATORS = /[\s,;:?()[\]{}"'«»“”‘’/\\|<>…—–]+/u;
const LEADING = /^[^\p{L}\p{N}$@]+/u;
const TRAILING = /[^\p{L}\p{N}]+$/u;

/**
 * Splits text into normalized words: accents and look-alikes resolved, leetspeak read as letters
 * inside a word ("f0o", "sh!t"), punctuation inside a word dropped ("fo.o" is "foo"). Spaces and
 * separating punctuation stay boundaries, so "class" is one word and never "ass".
 */
export function normalizeWords(text: string): Runs[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(SEPARATORS)
    .map((raw) => mapCharacters(raw.replace(LEADING, '').replace(TRAILING, '')).replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean)
    .map(toRuns);
}

/** A repeated letter ("fooo") still matches, but a missing one ("as" for "ass") does not. */
function sameWord(text: Runs, listed: Runs): boolean {
  return text.letters === listed.letters && listed.counts.every((count, i) => text.counts[i] >= count);
}

interface ListedTerm {
  term: string;
  words: Runs[];
}

/**
 * Finds listed words and phrases in text, resistant to the usual evasions. Built once per list
 * (per settings version); a lookup costs one pass over the text, whatever the list's length.
 */
export class WordMatcher {
  private readonly byFirstWord = new Map<string, ListedTerm[]>();

  constructor(terms: readonly string[]) {
    for (const term of terms) {
      const words = normalizeWords(term);
      if (words.length === 0) continue;
      const key = words[0].letters;
      this.byFirstWord.set(key, [...(this.byFirstWord.get(key) ?? []), { term, words }]);
    }
  }

  /** The listed terms found in text, each once, in list order of first appearance in the text. */
  find(text: string): string[] {
    if (this.byFirstWord.size === 0) return [];
    return this.findIn(normalizeWords(text));
  }

  /** find() on text already split by normalizeWords (one split for several lists). */
  findIn(words: Runs[]): string[] {
    if (this.byFirstWord.size === 0) return [];
    const found = new Set<string>();
    words.forEach((word, i) => {
      for (const candidate of this.byFirstWord.get(word.letters) ?? []) {
        if (candidate.words.every((w, k) => i + k < words.length && sameWord(words[i + k], w)))
          found.add(candidate.term);
      }
    });
    return [...found];
  }
}
