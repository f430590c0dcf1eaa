import { JSONParser, TokenType } from '@streamparser/json';
import { htmlToText } from '../html-to-text';
import { beyond } from '../import-limits';
import { FormatReader, ImportSink, ReaderOptions, sourceUserId, usableUrl, utcDate } from './records';
import { MalformedFileError } from './xml';

/** Characters given to the parser at once: what it holds is checked against the limits between two pieces. */
const PIECE = 16 * 1024;

interface Pending {
  byteLength: number;
}

interface CommentoComment {
  commentHex?: string;
  domain?: string;
  url?: string;
  commenterHex?: string;
  markdown?: string;
  html?: string;
  parentHex?: string;
  state?: string;
  creationDate?: string;
  deleted?: boolean;
}

/**
 * Commento's JSON export: `{ version, comments: [...], commenters: [...] }`, read as a stream
 * (one comment at a time, never the whole document). Pages are paths: their URL is
 * `--url-prefix` and the path, or `https://DOMAIN` and the path without one. Commenters' names
 * come after the comments; they are applied once the file is read.
 */
export function commentoReader(sink: ImportSink, options: ReaderOptions): FormatReader {
  const { limits } = options;
  const parser = new JSONParser({ paths: ['$.version', '$.comments.*', '$.commenters.*'], keepStack: false });
  /** What the tokenizer holds of a string or number not yet ended. */
  const pending = (parser as unknown as { tokenizer: { bufferedString: Pending; bufferedNumber: Pending } }).tokenizer;
  const threads = new Set<string>();
  let comments = 0;
  let line = 1;
  let column = 1;
  let chunk: Buffer = Buffer.alloc(0);
  /** Bytes of the file before `chunk`, and where the last value given to the reader ended. */
  let chunkStart = 0;
  let tokenOffset = 0;
  let lastValueEnd = 0;
  let depth = 0;
  let failure: MalformedFileError | null = null;
  let seenVersion = false;

  /** The line and column of a byte of the current chunk (its end when unknown). */
  const at = (detail: string, position = chunk.length): MalformedFileError => {
    const text = chunk.subarray(0, Math.max(0, position)).toString('utf8');
    const newline = text.lastIndexOf('\n');
    const l = line + (text.match(/\n/g)?.length ?? 0);
    const c = newline < 0 ? column + text.length : text.length - newline;
    return new MalformedFileError(l, Math.max(1, c), detail);
  };
  const where = (error: Error): MalformedFileError => {
    const position = /chunk position "(\d+)"/.exec(error.message);
    return at(
      error.message.replace(/ at chunk position.*$/, '') || 'not JSON',
      position ? Number(position[1]) : undefined,
    );
  };
  const refuse = (error: MalformedFileError): never => {
    failure ??= error;
    throw error;
  };
  parser.onError = (error) => {
    failure ??= where(error);
  };
  parser.onToken = ({ token, offset }) => {
    tokenOffset = offset;
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      if (++depth > limits.depth)
        refuse(at(beyond(limits.depth, 'arrays and objects deep').message, offset - chunkStart));
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
  };
  parser.onValue = ({ value, key, stack }) => {
    lastValueEnd = tokenOffset;
    const section = stack[stack.length - 1]?.key;
    if (key === 'version' && stack.length === 1) {
      seenVersion = true;
      return;
    }
    if (section === 'comments') comment(value as CommentoComment);
    else if (section === 'commenters') {
      const commenter = value as { commenterHex?: string; name?: string };
      if (typeof commenter.commenterHex === 'string' && typeof commenter.name === 'string' && commenter.name) {
        sink.author?.(sourceUserId('commento', commenter.commenterHex), commenter.name.trim());
      }
    }
  };
  /**
   * Everything since the last value given to the reader is held (an object being built, or
   * values outside the comments and commenters): one record, at most.
   */
  const checkHeld = () => {
    if (failure) return;
    if (Math.max(pending.bufferedString.byteLength, pending.bufferedNumber.byteLength) > limits.text)
      refuse(at(beyond(limits.text, 'characters in one string or number').message));
    if (chunkStart + chunk.length - lastValueEnd > limits.record)
      refuse(at(beyond(limits.record, 'characters in one record').message));
  };

  return {
    write(text: string) {
      for (let i = 0; i < text.length; i += PIECE) {
        const piece = text.slice(i, i + PIECE);
        chunk = Buffer.from(piece);
        parser.write(chunk);
        if (failure) throw failure;
        checkHeld();
        chunkStart += chunk.length;
        const newlines = piece.match(/\n/g)?.length ?? 0;
        line += newlines;
        column = newlines > 0 ? piece.length - piece.lastIndexOf('\n') : column + piece.length;
      }
    },
    end() {
      chunk = Buffer.alloc(0);
      try {
        // The parser ends by itself when the document's root value closes.
        if (!parser.isEnded) parser.end();
      } catch (error) {
        failure ??= where(error as Error);
      }
      if (failure) throw failure;
      if (!seenVersion) throw new MalformedFileError(line, column, 'this is not a Commento export: it has no version');
    },
  };

  function comment(c: CommentoComment) {
    comments++;
    const createdAt = utcDate(c.creationDate);
    if (!c.commentHex || !createdAt) {
      sink.problem(
        0,
        `comment ${c.commentHex ?? `#${comments}`} is skipped: ${c.commentHex ? 'no date' : 'no commentHex'}`,
      );
      return sink.skipped('invalid');
    }
    const threadId = `${c.domain ?? ''}${c.url ?? ''}`;
    if (!threads.has(threadId)) {
      threads.add(threadId);
      const base = options.urlPrefix?.replace(/\/$/, '') ?? (c.domain ? `https://${c.domain}` : '');
      const url = usableUrl(c.url?.startsWith('/') ? `${base}${c.url}` : c.url);
      sink.thread({
        sourceId: threadId,
        url,
        title: null,
        createdAt: null,
        closed: false,
        skip: url ? null : 'no_url',
      });
    }
    const deleted = c.deleted === true;
    const body = deleted ? '' : c.html ? htmlToText(c.html) : (c.markdown ?? '').trim();
    if (!deleted && body === '') return sink.skipped('empty');
    const anonymous = !c.commenterHex || c.commenterHex === 'anonymous';
    sink.comment({
      sourceId: c.commentHex,
      threadSourceId: threadId,
      parentSourceId: c.parentHex && c.parentHex !== 'root' ? c.parentHex : null,
      authorId: anonymous ? 'commento:anonymous' : sourceUserId('commento', c.commenterHex!),
      authorName: anonymous ? 'Anonymous' : null,
      body,
      status: c.state === 'approved' ? 'approved' : 'pending',
      deleted,
      createdAt,
      line: 0,
    });
  }
}
