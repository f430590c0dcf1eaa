import { SaxesAttributeNS, SaxesParser } from 'saxes';
import { beyond, ImportLimits } from '../import-limits';
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

/** Attributes one element may carry: each is an object (and, xmlns, a binding) held until it closes. */
const MAX_ATTRIBUTES = 100;
const TEXT = 'characters in one text node, name or attribute';
/** Characters given to saxes at once: its buffers are checked against the limits between two pieces. */
const PIECE = 16 * 1024;

/** What saxes holds while a text node, name, attribute, entity or instruction is still being read. */
interface SaxesBuffers {
  text: string;
  name: string;
  entity: string;
  piTarget: string;
}

/**
 * A streaming XML reader (saxes): memory bounded by the limits, whatever the file. Elements
 * deeper than the limit are refused where they open; text nodes, names and attributes longer
 * than it, where they begin. saxes holds the name and attributes of every open element: those
 * count as one record. Namespace-aware unless `namespaces` is false:
 * resolving them is a third of saxes's time, and a format whose names carry no meaning in their
 * namespace (Disqus's) does without.
 */
export function xmlReader(
  handlers: XmlHandlers,
  { namespaces = true, limits }: { namespaces?: boolean; limits: ImportLimits },
): FormatReader {
  const parser = new SaxesParser({ xmlns: namespaces, position: true });
  const buffers = parser as unknown as SaxesBuffers;
  const path: string[] = [];
  let first = true;
  /** Where the last complete node ended: a node too long to finish begins just after. */
  let lastEnd = { line: 1, column: 0 };
  const ended = () => (lastEnd = { line: parser.line, column: parser.column });
  const fail = (detail: string, at = { line: parser.line, column: parser.column }): never => {
    // saxes's column counts the characters read on the line: the 1-based column of the last one.
    throw new MalformedFileError(at.line, Math.max(1, at.column), detail);
  };
  const guarded = (work: () => void) => {
    try {
      work();
    } catch (error) {
      if (error instanceof MalformedFileError) throw error;
      fail((error as Error).message);
    }
  };
  const checkBuffers = () => {
    const longest = Math.max(buffers.text.length, buffers.name.length, buffers.entity.length, buffers.piTarget.length);
    if (longest > limits.text) fail(beyond(limits.text, TEXT).message, { ...lastEnd, column: lastEnd.column + 1 });
  };
  /** The attributes of the tag being read; the names and attributes of the open elements. */
  let attributes = { count: 0, chars: 0 };
  const held: number[] = [];
  let heldChars = 0;
  parser.on('opentagstart', () => (attributes = { count: 0, chars: 0 }));
  parser.on('attribute', ({ name, value }) => {
    attributes.count++;
    attributes.chars += name.length + value.length;
    const at = { ...lastEnd, column: lastEnd.column + 1 };
    if (attributes.count > MAX_ATTRIBUTES) fail(beyond(MAX_ATTRIBUTES, 'attributes on one element').message, at);
    if (attributes.chars > limits.text)
      fail(beyond(limits.text, 'characters in the attributes of one element').message, at);
  });
  parser.on('error', (error) => fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')));
  parser.on('opentag', (saxesTag) => {
    ended();
    const tag = saxesTag as unknown as XmlTag;
    if (!namespaces) {
      tag.local = tag.name.slice(tag.name.indexOf(':') + 1);
      tag.uri = '';
    }
    path.push(tag.local);
    if (path.length > limits.depth) fail(beyond(limits.depth, 'elements deep').message);
    held.push(tag.name.length + attributes.chars);
    heldChars += held[held.length - 1];
    if (heldChars > limits.record)
      fail(beyond(limits.record, 'characters in the names and attributes of the open elements').message);
    guarded(() => handlers.open(tag, path, parser.line));
  });
  parser.on('closetag', (tag) => {
    ended();
    try {
      guarded(() => handlers.close(tag as unknown as XmlTag, path));
    } finally {
      path.pop();
      heldChars -= held.pop() ?? 0;
    }
  });
  const text = (value: string) => {
    if (value.length > limits.text) fail(beyond(limits.text, TEXT).message, { ...lastEnd, column: lastEnd.column + 1 });
    guarded(() => handlers.text(value, path));
    ended();
  };
  parser.on('text', text);
  parser.on('cdata', text);
  for (const other of ['comment', 'processinginstruction', 'doctype', 'xmldecl'] as const) parser.on(other, ended);
  return {
    write(text: string) {
      if (first) {
        first = false;
        text = text.replace(/^\uFEFF/, '');
      }
      for (let i = 0; i < text.length; i += PIECE) {
        parser.write(text.slice(i, i + PIECE));
        checkBuffers();
      }
    },
    end() {
      parser.close();
      guarded(() => handlers.end());
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
