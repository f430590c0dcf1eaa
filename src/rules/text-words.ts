import {
  resolveConfusablesTransformer,
  resolveLeetSpeakTransformer,
  SimpleTransformerContainer,
  toAsciiLowerCaseTransformer,
} from 'obscenity';
import { displayedOrder } from './displayed-order';

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

/** A stretch of text between spaces or separating punctuation, with each way it can be read. */
export interface Token {
  readings: Runs[][];
}

/** A text's tokens as written, and again as displayed when directional overrides reorder it. */
export type TextWords = Token[][];

function toRuns(token: string): Runs {
  let letters = '';
  let last = '';
  const counts: number[] = [];
  for (const char of token) {
    // Compared with the last letter kept, not letters.endsWith: that flattens the string each time.
    if (char === last) counts[counts.length - 1]++;
    else {
      letters += char;
      last = char;
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

const SEPARATORS = /[\s,;:?()[\]{}"'«»“”‘’/\\|<>…—–]+/u;
/** Zero-width spaces and joiners, soft hyphens, directional controls, variation selectors… */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;
const NUMBER = /^\p{Nd}+$/u;
const DIGIT = /\p{Nd}/u;

/**
 * Letters without accents, invisible characters dropped, and case folded in full, so "ß" is "ss"
 * and a Turkish dotless "ı" is "i" (the look-alike tables would make them "b" and "l").
 */
function prepare(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(INVISIBLE, '').toLowerCase().toUpperCase().toLowerCase();
}

const LETTER = 0;
/** Punctuation that reads as a letter: "$", "@", "!". */
const LETTER_LIKE = 1;
const OTHER = 2;

/** A token's characters, each as written, as mapped, its kind, and whether it is a digit. */
interface Chars {
  raw: string[];
  mapped: string[];
  kinds: number[];
  digits: boolean[];
}

function toChars(token: string): Chars {
  const chars: Chars = { raw: [], mapped: [], kinds: [], digits: [] };
  for (const raw of token) {
    const mapped = mapCharacter(raw);
    const readable = LETTER_OR_DIGIT.test(mapped);
    chars.raw.push(raw);
    chars.mapped.push(readable ? mapped : '');
    chars.kinds.push(LETTER_OR_DIGIT.test(raw) ? LETTER : readable ? LETTER_LIKE : OTHER);
    chars.digits.push(DIGIT.test(raw));
  }
  return chars;
}

/**
 * Characters start to end as one word: punctuation trimmed at the edges (letter-like punctuation
 * only if told), other punctuation inside dropped, leetspeak read as letters except in a number.
 */
function wordOf(chars: Chars, start: number, end: number, keepLeading: boolean, keepTrailing: boolean): Runs | null {
  const { raw, mapped, kinds, digits } = chars;
  const kept = (i: number, keep: boolean) => kinds[i] === LETTER || (keep && kinds[i] === LETTER_LIKE);
  while (start < end && !kept(start, keepLeading)) start++;
  while (end > start && !kept(end - 1, keepTrailing)) end--;
  // "455" is a bus route, not "ass": digits read as letters only next to letters ("4ss", "4$$").
  let number = true;
  for (let i = start; i < end && number; i++) number = kinds[i] === OTHER || digits[i];
  let word = '';
  for (let i = start; i < end; i++) if (kinds[i] !== OTHER) word += number ? raw[i] : mapped[i];
  return word ? toRuns(word) : null;
}

const EDGES = [
  [true, true],
  [true, false],
  [false, true],
  [false, false],
] as const;

/**
 * The words between the characters of the kinds that break words, once per way of reading
 * letter-like punctuation at their edges (EDGES). A word with letters at both edges is one object
 * in every reading: a long token costs its readings' arrays, not copies of its words.
 */
function wordsOf(chars: Chars, breaks: (kind: number) => boolean, edges: readonly (readonly [boolean, boolean])[]) {
  const { kinds } = chars;
  const readings: Runs[][] = edges.map(() => []);
  let start = 0;
  for (let end = 0; end <= kinds.length; end++) {
    if (end < kinds.length && !breaks(kinds[end])) continue;
    if (end > start && kinds[start] !== LETTER_LIKE && kinds[end - 1] !== LETTER_LIKE) {
      const word = wordOf(chars, start, end, false, false);
      if (word) for (const reading of readings) reading.push(word);
    } else {
      edges.forEach(([leading, trailing], i) => {
        const word = wordOf(chars, start, end, leading, trailing);
        if (word) readings[i].push(word);
      });
    }
    start = end + 1;
  }
  return readings;
}

const sameRuns = (a: Runs, b: Runs) =>
  a === b || (a.letters === b.letters && a.counts.every((count, i) => count === b.counts[i]));
const sameReading = (a: Runs[], b: Runs[]) => a.length === b.length && a.every((word, i) => sameRuns(word, b[i]));

/**
 * The ways to read a token with punctuation in it: "a.s.s" as one word, "idiot.you" as two,
 * "@ss!" with the "@" as a letter and the "!" as punctuation, "@idiot" the other way round.
 */
function readingsOf(token: string): Runs[][] {
  if (PLAIN_WORD.test(token)) {
    let word = token;
    if (!NUMBER.test(token)) {
      word = '';
      for (const char of token) word += mapCharacter(char);
    }
    word = word.replace(/[^\p{L}\p{N}]/gu, '');
    return word ? [[toRuns(word)]] : [];
  }
  const chars = toChars(token);
  const letterLike = chars.kinds.includes(LETTER_LIKE);
  const edges = letterLike ? EDGES : EDGES.slice(3);
  const candidates = [
    ...edges.map(([leading, trailing]) => [wordOf(chars, 0, chars.kinds.length, leading, trailing)]),
    ...wordsOf(chars, (kind) => kind === OTHER, edges),
    ...(letterLike ? wordsOf(chars, (kind) => kind !== LETTER, EDGES.slice(3)) : []),
  ];
  const readings: Runs[][] = [];
  for (const candidate of candidates) {
    const reading = candidate.filter((word): word is Runs => word !== null);
    if (reading.length > 0 && !readings.some((known) => sameReading(known, reading))) readings.push(reading);
  }
  return readings;
}

function tokensOf(text: string): string[] {
  return prepare(text).split(SEPARATORS).filter(Boolean);
}

/**
 * Reads text as words resistant to the usual evasions: accents, look-alikes, case, invisible
 * characters, leetspeak ("f0o", "sh!t", "4$$"), punctuation inside a word ("a.s.s") or joining
 * two ("idiot.you"), and overrides that make the text display in another order. Spaces and
 * separating punctuation stay boundaries, so "class" is one word and never "ass".
 */
export function readWords(text: string): TextWords {
  const displayed = displayedOrder(text);
  return (displayed === null ? [text] : [text, displayed]).map((version) =>
    tokensOf(version)
      .map((token) => ({ readings: readingsOf(token) }))
      .filter((token) => token.readings.length > 0),
  );
}

/** A listed word or phrase, read one way: its punctuation that reads as letters is letters. */
export function readListedTerm(term: string): Runs[] {
  return tokensOf(term)
    .map((token) => {
      const chars = toChars(token);
      return wordOf(chars, 0, chars.kinds.length, true, true);
    })
    .filter((word): word is Runs => word !== null);
}
