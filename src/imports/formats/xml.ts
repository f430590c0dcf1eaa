import { SaxesParser, SaxesTagNS } from 'saxes';
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

export interface XmlHandlers {
  /** `path`: the local names from the root down to this element, itself included. */
  open(tag: SaxesTagNS, path: string[], line: number): void;
  text(text: string, path: string[]): void;
  close(tag: SaxesTagNS, path: string[]): void;
  end(): void;
}

/** A streaming, namespace-aware XML reader (saxes): memory bounded by the depth of the document. */
export function xmlReader(handlers: XmlHandlers): FormatReader {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const path: string[] = [];
  let first = true;
  const fail = (detail: string): never => {
    // saxes's column counts the characters read on the line: the 1-based column of the last one.
    throw new MalformedFileError(parser.line, Math.max(1, parser.column), detail);
  };
  parser.on('error', (error) => fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')));
  parser.on('opentag', (tag) => {
    path.push(tag.local);
    try {
      handlers.open(tag as SaxesTagNS, path, parser.line);
    } catch (error) {
      if (error instanceof MalformedFileError) throw error;
      fail((error as Error).message);
    }
  });
  parser.on('closetag', (tag) => {
    try {
      handlers.close(tag as SaxesTagNS, path);
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
export function attribute(tag: SaxesTagNS, local: string): string | undefined {
  for (const attr of Object.values(tag.attributes)) if (attr.local === local) return attr.value;
  return undefined;
}
