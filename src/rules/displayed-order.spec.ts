import { displayedOrder } from './displayed-order';

const visible = (text: string | null) => text?.replace(/[\u202A-\u202E\u2066-\u2069]/g, '') ?? null;

describe('displayedOrder', () => {
  it.each([
    ['a right-to-left override up to its PDF', 'say \u202Essa\u202C now', 'say ass now'],
    ['an override left open, up to the end of the paragraph', '\u202Edrow dab\nnext', 'bad word\nnext'],
    ['an override closed by the PDI of the isolate around it', '\u2067\u202Essa\u2069 ssa', 'ass ssa'],
    ['an embedding inside an override, kept in order but moved', '\u202Eab\u202Acd\u202Cef\u202C', 'fecdba'],
    ['nested overrides', '\u202Eab\u202Ecd\u202C\u202C', 'dcba'],
    [
      'right-to-left letters forced left to right',
      '\u202D\u05E9\u05DC\u05D5\u05DD abc\u202C',
      '\u05DD\u05D5\u05DC\u05E9 abc',
    ],
  ])('shows %s', (_, text, shown) => {
    expect(visible(displayedOrder(text))).toBe(shown);
  });

  it('is null without an override: embeddings and isolates never reorder letters', () => {
    expect(displayedOrder('plain \u2067ssa\u2069 \u202Bssa\u202C')).toBeNull();
  });

  it("honours at most the bidi algorithm's nesting depth, without running out of stack", () => {
    expect(visible(displayedOrder('\u202E'.repeat(100_000) + 'ssa'))).toBe('ass');
    // Past the depth, an override is ignored as a browser ignores it: the text shows as written.
    expect(visible(displayedOrder('\u2067'.repeat(50_000) + '\u202Essa'))).toBe('ssa');
  });
});
