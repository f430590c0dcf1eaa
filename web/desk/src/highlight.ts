/** A part of a comment's text: plain, or marked as a banned word, a suspect word or a link. */
export interface Segment {
  text: string;
  mark?: 'banned' | 'suspect' | 'link';
}

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]'»]/giu;

/** Lower case without accents or repeated letters: "Fóóo" and "foo" are the same word, as the rules read them. */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(.)\1+/gu, '$1');
}

/** Looks words up in the settings' lists; made once per settings version (the lists may hold thousands). */
export class WordMarker {
  private readonly words = new Map<string, 'banned' | 'suspect'>();

  constructor(banned: readonly string[], suspect: readonly string[]) {
    for (const w of suspect) this.words.set(normalizeWord(w), 'suspect');
    for (const w of banned) this.words.set(normalizeWord(w), 'banned');
  }

  /** The body cut into segments: links first, then each word of the rest looked up. */
  segments(body: string): Segment[] {
    const out: Segment[] = [];
    let at = 0;
    for (const link of body.matchAll(LINK)) {
      this.markWords(body.slice(at, link.index), out);
      out.push({ text: link[0], mark: 'link' });
      at = link.index! + link[0].length;
    }
    this.markWords(body.slice(at), out);
    return out;
  }

  private markWords(text: string, out: Segment[]): void {
    let plain = '';
    for (const part of text.split(/([\p{L}\p{N}][\p{L}\p{N}'’_-]*)/u)) {
      const mark = part && this.words.get(normalizeWord(part));
      if (mark) {
        if (plain) out.push({ text: plain });
        out.push({ text: part, mark });
        plain = '';
      } else plain += part;
    }
    if (plain) out.push({ text: plain });
  }
}
