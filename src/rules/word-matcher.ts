import { readListedTerm, readWords, Runs, TextWords, Token } from './text-words';

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
 * (per settings version); a lookup costs one pass over the text's readings, whatever the list's length.
 */
export class WordMatcher {
  private readonly byFirstWord = new Map<string, ListedTerm[]>();

  constructor(terms: readonly string[]) {
    for (const term of terms) {
      const words = readListedTerm(term);
      if (words.length === 0) continue;
      const key = words[0].letters;
      this.byFirstWord.set(key, [...(this.byFirstWord.get(key) ?? []), { term, words }]);
    }
  }

  /** The listed terms found in text, each once, in order of first appearance in the text. */
  find(text: string): string[] {
    if (this.byFirstWord.size === 0) return [];
    return this.findIn(readWords(text));
  }

  /** find() on text already read by readWords (one reading for several lists). */
  findIn(text: TextWords): string[] {
    if (this.byFirstWord.size === 0) return [];
    const found = new Set<string>();
    for (const tokens of text) {
      tokens.forEach((token, i) => {
        for (const reading of token.readings) {
          reading.forEach((word, at) => {
            for (const candidate of this.byFirstWord.get(word.letters) ?? []) {
              if (sameWord(word, candidate.words[0]) && continues(candidate.words, 1, tokens, i, reading, at + 1)) {
                found.add(candidate.term);
              }
            }
          });
        }
      });
    }
    return [...found];
  }
}

/** Whether the listed words from `next` on follow in the text, through any reading of the tokens after. */
function continues(words: Runs[], next: number, tokens: Token[], i: number, reading: Runs[], at: number): boolean {
  if (next === words.length) return true;
  if (at < reading.length) {
    return sameWord(reading[at], words[next]) && continues(words, next + 1, tokens, i, reading, at + 1);
  }
  return i + 1 < tokens.length && tokens[i + 1].readings.some((r) => continues(words, next, tokens, i + 1, r, 0));
}
