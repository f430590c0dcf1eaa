import { Parser } from 'htmlparser2';
import { MAX_BODY_CHARS } from '../comments/dto/comment.dto';

const PARAGRAPHS = new Set(['p', 'div', 'blockquote', 'pre', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const LINES = new Set(['li', 'tr', 'dt', 'dd']);
const DROPPED = new Set(['script', 'style', 'head', 'title', 'template']);
const LINK_SCHEMES = /^(?:https?:|mailto:)/i;
const MAX_HTML_CHARS = 10 * 2 * MAX_BODY_CHARS;

export interface HtmlToTextOptions {
  /**
   * WordPress stores comments with their line breaks as typed (wpautop makes paragraphs of blank
   * lines when showing them); in Disqus's HTML, line breaks in the source mean nothing.
   */
  keepNewlines?: boolean;
}

/**
 * An export's HTML body as Comment Desk's plain text: paragraphs become blank lines, line breaks
 * new lines, links keep their address (after their text, unless the text is the address),
 * entities are decoded, and every other element is dropped, keeping its text.
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  // Ten times the longest body the API takes: no comment's markup is that heavy. Left as it is,
  // for the body's rule to refuse, instead of holding the event loop to convert it.
  if (html.length > MAX_HTML_CHARS) return html;
  // Most bodies are plain text already: no element, no entity, nothing to parse.
  if (!/[<&]/.test(html)) return normalize(options.keepNewlines ? html : html.replace(/\s+/g, ' '));
  // Most of the rest are paragraphs of text and common entities (Disqus's): the same text, without the parser.
  if (!options.keepNewlines && SIMPLE_HTML.test(html) && !OTHER_ENTITY.test(html)) {
    return html
      .split(/<\/?p>/i)
      .map((part) =>
        part
          .replace(SIMPLE_ENTITIES, (entity) => ENTITY_TEXT[entity])
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((paragraph) => paragraph !== '')
      .join('\n\n');
  }
  return parseHtmlToText(html, options);
}

/** Text and `<p>` paragraphs only, the `&` of entities aside. */
const SIMPLE_HTML = /^\s*(?:[^<]*|(?:<p>[^<]*<\/p>\s*)+)$/i;
const SIMPLE_ENTITIES = /&(?:amp|lt|gt|quot|#39|apos);/g;
const OTHER_ENTITY = /&(?!(?:amp|lt|gt|quot|#39|apos);)/;
const ENTITY_TEXT: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
};

/** htmlToText() through the HTML parser, whatever the body holds. */
export function parseHtmlToText(html: string, options: HtmlToTextOptions = {}): string {
  // Built in parts, its end known without reading it back: each step costs what it adds, whatever
  // came before (a body of a few MB is read in linear time).
  const parts: string[] = [];
  let length = 0;
  let trailingNewlines = 0;
  let last = '';
  const append = (text: string) => {
    if (text === '') return;
    parts.push(text);
    length += text.length;
    const kept = /\n*$/.exec(text)![0].length;
    trailingNewlines = kept === text.length ? trailingNewlines + kept : kept;
    last = text[text.length - 1];
  };
  /** What was added since `part`, and replacing it. */
  const since = (part: number) => parts.slice(part).join('');
  const replaceSince = (part: number, start: number, replacement: string) => {
    parts.length = part;
    length = start;
    append(replacement);
  };
  let dropping = 0;
  const links: { href: string | null; start: number; part: number }[] = [];
  const breakLines = (n: number) => {
    if (length > 0 && trailingNewlines < n) append('\n'.repeat(n - trailingNewlines));
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (DROPPED.has(name)) dropping++;
        else if (name === 'br') append('\n');
        else if (PARAGRAPHS.has(name)) breakLines(2);
        else if (LINES.has(name)) breakLines(1);
        else if (name === 'a') {
          const href = attributes.href?.trim() ?? '';
          links.push({ href: LINK_SCHEMES.test(href) ? href : null, start: length, part: parts.length });
        }
      },
      ontext(chunk) {
        if (dropping > 0) return;
        const spaced = options.keepNewlines ? chunk.replace(/[ \t\f\r]+/g, ' ') : chunk.replace(/\s+/g, ' ');
        append(last === ' ' || last === '\n' || length === 0 ? spaced.replace(/^ /, '') : spaced);
      },
      onclosetag(name) {
        if (DROPPED.has(name)) dropping = Math.max(0, dropping - 1);
        else if (PARAGRAPHS.has(name)) breakLines(2);
        else if (LINES.has(name)) breakLines(1);
        else if (name === 'a') {
          const link = links.pop();
          if (!link?.href) return;
          const linkText = since(link.part).trim();
          const href = link.href.replace(/^mailto:/i, '');
          if (linkText === '') append(link.href);
          else if (linkText !== href && linkText !== link.href && !href.startsWith(linkText.replace(/…$|\.\.\.$/, '')))
            append(` (${link.href})`);
          else if (linkText !== link.href && linkText !== href) replaceSince(link.part, link.start, link.href);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return normalize(parts.join(''));
}

function normalize(out: string): string {
  return out
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
