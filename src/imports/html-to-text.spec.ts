import fc from 'fast-check';
import { htmlToText, parseHtmlToText } from './html-to-text';

describe('htmlToText', () => {
  it('makes blank lines of paragraphs and new lines of line breaks', () => {
    expect(htmlToText('<p>First  paragraph,\nwrapped.</p><p>Second<br>line two</p>')).toBe(
      'First paragraph, wrapped.\n\nSecond\nline two',
    );
  });

  it('decodes entities, named, decimal and hexadecimal', () => {
    expect(htmlToText('<p>Caf&eacute; &amp; bar&nbsp;&#8212; &#x201C;ok&#x201D; &lt;b&gt;</p>')).toBe(
      'Café & bar — “ok” <b>',
    );
  });

  it('keeps the address of links after their text, once', () => {
    expect(htmlToText('See <a href="https://example.com/a?b=1&amp;c=2">the report</a>.')).toBe(
      'See the report (https://example.com/a?b=1&c=2).',
    );
    expect(htmlToText('<a href="https://example.com/x">https://example.com/x</a>')).toBe('https://example.com/x');
    expect(htmlToText('<a href="https://example.com/a-long-path">https://example.com/a-lo…</a>')).toBe(
      'https://example.com/a-long-path',
    );
    expect(htmlToText('<a href="javascript:alert(1)">click</a>')).toBe('click');
  });

  it('drops every other element and what scripts and styles hold', () => {
    expect(htmlToText('<b>bold</b> <i>it</i><script>alert(1)</script><style>p{}</style><img src="x.png">!')).toBe(
      'bold it!',
    );
  });

  it('keeps typed line breaks when asked (WordPress)', () => {
    expect(htmlToText('One\nTwo\n\n\n\nThree &amp; <em>four</em>', { keepNewlines: true })).toBe(
      'One\nTwo\n\nThree & four',
    );
  });

  it('makes lines of list items', () => {
    expect(htmlToText('<ul><li>a</li><li>b</li></ul>after')).toBe('a\nb\n\nafter');
  });
});

describe('htmlToText without the parser', () => {
  const pieces = ['<p>', '</p>', '<P>', '&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&apos;', '&', '&nbsp;', '&#160;'];
  const text = [' ', '\n', '\t', '\u00a0', 'a', 'Zé', '.', '<br>', '<a href="https://x.example">x</a>', ';'];

  it('gives what the parser gives, for any mix of paragraphs, entities and spaces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces, ...text), { maxLength: 30 }), (parts) => {
        const html = parts.join('');
        expect(htmlToText(html)).toBe(parseHtmlToText(html));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives what the parser gives for well-formed paragraphs', () => {
    const paragraph = fc
      .array(fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&#39;', ' ', '\n', 'word', 'é', '\u00a0'), {
        maxLength: 12,
      })
      .map((p) => `<p>${p.join('')}</p>`);
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '\n', ' '), (ps, sep) => {
        const html = ps.join(sep);
        expect(htmlToText(html)).toBe(parseHtmlToText(html));
      }),
      { numRuns: 1000 },
    );
  });
});
