import { JSONParser } from '@streamparser/json';
import { htmlToText } from '../html-to-text';
import { FormatReader, ImportSink, ReaderOptions, sourceUserId, usableUrl, utcDate } from './records';
import { MalformedFileError } from './xml';

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
  const parser = new JSONParser({ paths: ['$.version', '$.comments.*', '$.commenters.*'], keepStack: false });
  const threads = new Set<string>();
  let comments = 0;
  let line = 1;
  let column = 1;
  let chunk: Buffer = Buffer.alloc(0);
  let failure: MalformedFileError | null = null;
  let seenVersion = false;

  const where = (error: Error): MalformedFileError => {
    const position = /chunk position "(\d+)"/.exec(error.message);
    const upTo = chunk.subarray(0, position ? Number(position[1]) : chunk.length);
    const text = upTo.toString('utf8');
    const newline = text.lastIndexOf('\n');
    const l = line + (text.match(/\n/g)?.length ?? 0);
    const c = newline < 0 ? column + text.length : text.length - newline;
    return new MalformedFileError(l, Math.max(1, c), error.message.replace(/ at chunk position.*$/, '') || 'not JSON');
  };
  parser.onError = (error) => {
    failure ??= where(error);
  };
  parser.onValue = ({ value, key, stack }) => {
    const section = stack[stack.length - 1]?.key;
    if (key === 'version' && stack.length === 1) {
      seenVersion = true;
      return;
    }
    if (section === 'comments') comment(value as CommentoComment);
    else if (section === 'commenters') {
      const commenter = value as { commenterHex?: string; name?: string };
      if (commenter.commenterHex && commenter.name) {
        sink.author?.(sourceUserId('commento', commenter.commenterHex), commenter.name.trim());
      }
    }
  };

  return {
    write(text: string) {
      chunk = Buffer.from(text);
      parser.write(chunk);
      if (failure) throw failure;
      const newlines = text.match(/\n/g)?.length ?? 0;
      line += newlines;
      column = newlines > 0 ? text.length - text.lastIndexOf('\n') : column + text.length;
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
