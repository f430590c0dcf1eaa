import { SaxesAttributeNS, SaxesParser } from 'saxes';
import { FormatReader } from './records';

/** The file cannot be read as its format: says where, by line and column (from 1). */
export class MalformedFileError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
  }
}

/** An element as the handlers see it; without namespaces, `uri` is empty and `local` the name after its prefix. */
export interface XmlTag {
  name: string;
  local: string;
  uri: string;
  attributes: Record<string, SaxesAttributeNS | string>;
}

export interface XmlHandlers {
  /** `path`: the local names from the root down to this element, itself included. */
  open(tag: XmlTag, path: string[], line: number): void;
  text(text: string, path: string[]): void;
  close(tag: XmlTag, path: string[]): void;
  end(): void;
}

/**
 * A streaming XML reader (saxes): memory bounded by the depth of the document. Namespace-aware
 * unless `namespaces` is false: resolving them is a third of saxes's time, and a format whose
 * names carry no meaning in their namespace (Disqus's) does without.
 */
export function xmlReader(handlers: XmlHandlers, { namespaces = true } = {}): FormatReader {
  const parser = new SaxesParser({ xmlns: namespaces, position: true });
  const path: string[] = [];
  let first = true;
  const fail = (detail: string): never => {
    // saxes's column counts the characters read on the line: the 1-based column of the last one.
    throw new MalformedFileError(parser.line, Math.max(1, parser.column), detail);
  };
  parser.on('error', (error) => fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')));
  parser.on('opentag', (saxesTag) => {
    const tag = saxesTag as unknown as XmlTag;
    if (!namespaces) {
      tag.local = tag.name.slice(tag.name.indexOf(':') + 1);
      tag.uri = '';
    }
    path.push(tag.local);
    try {
      handlers.open(tag, path, parser.line);
    } catch (error) {
      if (error instanceof MalformedFileError) throw error;
      fail((error as Error).message);
    }
  });
  parser.on('closetag', (tag) => {
    try {
      handlers.close(tag as unknown as XmlTag, path);
    } finally {
      path.pop();
    }
  });
  parser.on('text', (text) => handlers.text(text, path));
  parser.on('cdata', (text) => handlers.text(text, path));
  return {
    write(text: string) {
      if (first) {
        first = false;
        text = text.replace(/^\uFEFF/, '');
      }
      parser.write(text);
    },
    end() {
      parser.close();
      try {
        handlers.end();
      } catch (error) {
        if (error instanceof MalformedFileError) throw error;
        fail((error as Error).message);
      }
    },
  };
}

/** The value of an attribute by its local name, whatever its prefix (`dsq:id`). */
export function attribute(tag: XmlTag, local: string): string | undefined {
  for (const name in tag.attributes) {
    const attr = tag.attributes[name];
    if (typeof attr === 'string') {
      if (name.slice(name.indexOf(':') + 1) === local) return attr;
    } else if (attr.local === local) return attr.value;
  }
  return undefined;
}
