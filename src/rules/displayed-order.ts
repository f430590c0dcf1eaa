const LRE = '\u202A';
const RLE = '\u202B';
const PDF = '\u202C';
const LRO = '\u202D';
const RLO = '\u202E';
const ISOLATES = '\u2066\u2067\u2068';
const PDI = '\u2069';
/** The deepest nesting of embeddings, overrides and isolates that the bidi algorithm honours. */
const MAX_DEPTH = 125;
const PARAGRAPH_END = /[\n\r\u001C-\u001E\u0085\u2029]/;
const OVERRIDES = /[\u202D\u202E]/;
/** Letters of the scripts written right to left: an LTR override shows them backwards. */
const RIGHT_TO_LEFT_RUN =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]+/gu;

interface Group {
  opener: string;
  parts: (string | Group)[];
}

const reversed = (text: string): string => [...text].reverse().join('');

function render(group: Group): string {
  const parts = group.parts.map((part) => {
    if (typeof part !== 'string') return render(part);
    if (group.opener === RLO) return reversed(part);
    if (group.opener === LRO) return part.replace(RIGHT_TO_LEFT_RUN, reversed);
    return part;
  });
  // Inside a right-to-left override, nested embeddings keep their own order but trade places.
  return (group.opener === RLO ? parts.reverse() : parts).join('');
}

/**
 * Text in the order a reader sees it when directional overrides force it: "\u202Essa" shows
 * "ass". Embeddings and isolates (without an override) only move whole words, never letters,
 * so they are kept as written. Null when nothing is overridden. The controls stay in the text.
 */
export function displayedOrder(text: string): string | null {
  if (!OVERRIDES.test(text)) return null;
  const root: Group = { opener: '', parts: [] };
  const open: Group[] = [root];
  const add = (char: string) => {
    const parts = open[open.length - 1].parts;
    if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += char;
    else parts.push(char);
  };
  let overflow = 0;
  for (const char of text) {
    const opens = char === LRE || char === RLE || char === LRO || char === RLO || ISOLATES.includes(char);
    if ((opens && open.length > MAX_DEPTH) || (overflow > 0 && (char === PDF || char === PDI))) {
      // Past the deepest nesting, openers are ignored and so are the closers that match them.
      overflow += opens ? 1 : -1;
      add(char);
    } else if (opens) {
      const group: Group = { opener: char, parts: [] };
      open[open.length - 1].parts.push(group);
      open.push(group);
      add(char);
    } else if (char === PDF) {
      // A PDF closes the innermost embedding or override, never an isolate.
      add(char);
      if (open.length > 1 && !ISOLATES.includes(open[open.length - 1].opener)) open.pop();
    } else if (char === PDI) {
      // A PDI closes its isolate and whatever was left open inside it.
      const isolate = open.findLastIndex((g, i) => i > 0 && ISOLATES.includes(g.opener));
      if (isolate > 0) open.length = isolate;
      add(char);
    } else if (PARAGRAPH_END.test(char)) {
      open.length = 1;
      overflow = 0;
      add(char);
    } else add(char);
  }
  return render(root);
}
