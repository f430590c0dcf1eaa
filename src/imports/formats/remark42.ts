import { htmlToText } from '../html-to-text';
import { NdjsonReader } from './ndjson';
import { FormatReader, ImportSink, ReaderOptions, sourceUserId, usableUrl, utcDate } from './records';
import { MalformedFileError } from './xml';

interface RemarkComment {
  id?: string;
  pid?: string;
  text?: string;
  user?: { id?: string; name?: string };
  locator?: { url?: string };
  time?: string;
  delete?: boolean;
  title?: string;
}

/**
 * Remark42's backup: a first line of metadata (`{ version, users, posts }`, posts with their
 * `read_only` state), then one comment a line. Every comment is published in Remark42: they
 * come in approved; `delete` makes a tombstone when it has replies.
 */
export function remark42Reader(sink: ImportSink, options: ReaderOptions): FormatReader {
  const closed = new Set<string>();
  const threads = new Set<string>();

  const readValue = (value: unknown, line: number) => {
    if (line === 1) {
      const meta = value as { version?: unknown; posts?: { url?: string; read_only?: boolean }[] };
      if (typeof meta?.version !== 'number' || !Array.isArray(meta.posts ?? []))
        throw new MalformedFileError(1, 1, 'this is not a Remark42 backup: its first line has no version');
      for (const post of meta.posts ?? []) if (post.read_only && post.url) closed.add(post.url);
      return;
    }
    comment(value as RemarkComment, line);
  };

  const comment = (c: RemarkComment, line: number) => {
    const createdAt = utcDate(c.time);
    const url = c.locator?.url ?? '';
    if (!c.id || !createdAt) {
      sink.problem(line, `comment ${c.id ?? '(no id)'} is skipped: ${c.id ? 'no time' : 'no id'}`);
      return sink.skipped('invalid');
    }
    if (!threads.has(url)) {
      threads.add(url);
      const usable = usableUrl(url);
      sink.thread({
        sourceId: url,
        url: usable,
        title: c.title?.trim() || null,
        createdAt: null,
        closed: closed.has(url),
        skip: usable ? null : 'no_url',
      });
    }
    const deleted = c.delete === true;
    const body = deleted ? '' : htmlToText(c.text ?? '');
    if (!deleted && body === '') return sink.skipped('empty');
    sink.comment({
      sourceId: c.id,
      threadSourceId: url,
      parentSourceId: c.pid || null,
      authorId: sourceUserId('remark42', c.user?.id || 'anonymous'),
      authorName: c.user?.name?.trim() || null,
      body,
      status: 'approved',
      deleted,
      createdAt,
      line,
    });
  };

  const lines = new NdjsonReader(options.limits, readValue);
  return {
    write: (text) => lines.write(text),
    end() {
      lines.end();
      if (lines.line === 0) throw new MalformedFileError(1, 1, 'the file is empty');
    },
  };
}
