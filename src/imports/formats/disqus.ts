import { htmlToText } from '../html-to-text';
import { RecordSize } from '../import-limits';
import { FormatReader, guestId, ImportSink, ReaderOptions, sourceUserId, usableUrl, utcDate } from './records';
import { attribute, xmlReader } from './xml';

interface Element {
  id: string | undefined;
  line: number;
  fields: Map<string, string>;
  /** The `dsq:id` of the `<thread>` and `<parent>` a post refers to. */
  refs: Map<string, string | undefined>;
}

/**
 * Disqus's XML export: `<disqus>` holding `<category>`, `<thread dsq:id>` and `<post dsq:id>`
 * elements, side by side. A post names its thread and parent by `dsq:id`; nothing is inferred
 * from the order of elements. Elements and attributes are known by their local names (Disqus's
 * names mean nothing in another namespace), so its namespaces are not resolved.
 */
export function disqusReader(sink: ImportSink, options: ReaderOptions): FormatReader {
  let element: Element | null = null;
  let rootSeen = false;
  /** The field that text goes to: the path below the thread or post, dotted (`author.name`). */
  let field: string | null = null;
  const size = new RecordSize(options.limits.record);
  return xmlReader(
    {
      open(tag, path, line) {
        field = element && path.length >= 3 ? (path.length === 3 ? path[2] : path.slice(2).join('.')) : null;
        if (path.length === 1) {
          if (tag.local !== 'disqus') throw new Error(`this is not a Disqus export: its root element is <${tag.name}>`);
          rootSeen = true;
        } else if (path.length === 2 && (tag.local === 'thread' || tag.local === 'post')) {
          element = { id: attribute(tag, 'id'), line, fields: new Map(), refs: new Map() };
          size.reset();
        } else if (element && path.length === 3 && (tag.local === 'thread' || tag.local === 'parent')) {
          element.refs.set(tag.local, attribute(tag, 'id'));
        }
      },
      text(text) {
        if (!element || field === null) return;
        size.add(text.length);
        element.fields.set(field, (element.fields.get(field) ?? '') + text);
      },
      close(tag, path) {
        field = null;
        if (path.length !== 2 || !element) return;
        if (tag.local === 'thread') thread(element);
        else if (tag.local === 'post') post(element);
        element = null;
      },
      end() {
        if (!rootSeen) throw new Error('this is not a Disqus export: it has no <disqus> element');
      },
    },
    { namespaces: false, limits: options.limits },
  );

  function thread(e: Element) {
    const field = (name: string) => e.fields.get(name)?.trim();
    if (!e.id) return sink.problem(e.line, 'a thread without a dsq:id is skipped');
    const url = usableUrl(field('link'));
    sink.thread({
      sourceId: e.id,
      url,
      title: field('title') || null,
      createdAt: utcDate(field('createdAt')),
      closed: field('isClosed') === 'true',
      skip: field('isDeleted') === 'true' ? 'deleted' : url === null ? 'no_url' : null,
    });
  }

  function post(e: Element) {
    const field = (name: string) => e.fields.get(name)?.trim();
    const createdAt = utcDate(field('createdAt'));
    if (!e.id || !createdAt) {
      sink.problem(
        e.line,
        `post ${e.id ?? '(no dsq:id)'} is skipped: ${e.id ? 'its createdAt is not a date' : 'no id'}`,
      );
      return sink.skipped('invalid');
    }
    const spam = field('isSpam') === 'true';
    if (spam && options.skipSpam) return sink.skipped('spam');
    const deleted = field('isDeleted') === 'true';
    const body = deleted ? '' : htmlToText(e.fields.get('message') ?? '');
    if (!deleted && body === '') return sink.skipped('empty');
    const username = field('author.username');
    const anonymous = field('author.isAnonymous') === 'true' || !username;
    const name = field('author.name') || username || null;
    sink.comment({
      sourceId: e.id,
      threadSourceId: e.refs.get('thread') ?? null,
      parentSourceId: e.refs.get('parent') ?? null,
      authorId: anonymous ? guestId('disqus', field('author.email'), name ?? '') : sourceUserId('disqus', username),
      authorName: name,
      body,
      status: spam ? 'rejected' : field('isApproved') === 'false' ? 'pending' : 'approved',
      deleted,
      createdAt,
      line: e.line,
    });
  }
}
