import { htmlToText } from '../html-to-text';
import { RecordSize } from '../import-limits';
import { FormatReader, guestId, ImportSink, ReaderOptions, sourceUserId, usableUrl, utcDate } from './records';
import { xmlReader } from './xml';

/** WXR 1.0 to 1.2, declared with http or https. */
const WXR_NAMESPACE = /^https?:\/\/wordpress\.org\/export\/1\.[012]\/?$/;
/** The comment types that readers wrote; pingbacks, trackbacks, notes and plugins' types are not comments. */
const COMMENT_TYPES = new Set(['', 'comment']);
/** What is read of a post: its body and the rest are not kept. */
const ITEM_FIELDS = new Set(['link', 'title', 'wp:post_date_gmt', 'wp:comment_status', 'wp:status']);

/**
 * WordPress's WXR export: `<rss><channel>` with `<wp:author>`s and `<item>`s (posts), each
 * holding its `<wp:comment>`s. A comment names its parent by `wp:comment_parent`.
 */
export function wordpressReader(sink: ImportSink, options: ReaderOptions): FormatReader {
  const logins = new Map<string, string>();
  let rootSeen = false;
  let items = 0;
  let item: Map<string, string> | null = null;
  let itemId = '';
  let comment: { fields: Map<string, string>; line: number } | null = null;
  let author: Map<string, string> | null = null;
  /** wp: elements are recognised by their namespace, whatever prefix the file gives it. */
  const wpNames = new Set<string>();
  /** The post, and the comment or author, being read. */
  const itemSize = new RecordSize(options.limits.record);
  const size = new RecordSize(options.limits.record);

  return xmlReader(
    {
      open(tag, path, line) {
        const wp = WXR_NAMESPACE.test(tag.uri);
        if (path.length === 1) {
          if (tag.local !== 'rss') throw new Error(`this is not a WordPress export: its root element is <${tag.name}>`);
          rootSeen = true;
        } else if (path.length === 3 && path[1] === 'channel' && tag.local === 'item' && !tag.uri) {
          item = new Map();
          itemId = String(++items);
          itemSize.reset();
        } else if (path.length === 3 && path[1] === 'channel' && wp && tag.local === 'author') {
          author = new Map();
          size.reset();
        } else if (item && path.length === 4 && wp && tag.local === 'comment') {
          comment = { fields: new Map(), line };
          size.reset();
        }
        if (wp) wpNames.add(path.join('/'));
      },
      text(text, path) {
        const target =
          comment && path.length === 5
            ? comment.fields
            : item && path.length === 4
              ? item
              : author && path.length === 4
                ? author
                : null;
        if (!target) return;
        const key = `${wpNames.has(path.join('/')) ? 'wp:' : ''}${path[path.length - 1]}`;
        if (target === item && !ITEM_FIELDS.has(key)) return;
        (target === item ? itemSize : size).add(text.length);
        target.set(key, (target.get(key) ?? '') + text);
      },
      close(_tag, path) {
        if (comment && path.length === 4) {
          emitComment(comment.fields, comment.line);
          comment = null;
        } else if (item && path.length === 3) {
          emitThread(item);
          item = null;
        } else if (author && path.length === 3) {
          const id = author.get('wp:author_id')?.trim();
          const login = author.get('wp:author_login')?.trim();
          if (id && login) logins.set(id, login);
          author = null;
        }
        wpNames.delete(path.join('/'));
      },
      end() {
        if (!rootSeen) throw new Error('this is not a WordPress export: it has no <rss> element');
      },
    },
    { limits: options.limits },
  );

  function emitThread(fields: Map<string, string>) {
    const url = usableUrl(fields.get('link'));
    sink.thread({
      sourceId: itemId,
      url,
      title: fields.get('title')?.trim() || null,
      createdAt: utcDate(fields.get('wp:post_date_gmt')),
      closed: fields.get('wp:comment_status')?.trim() === 'closed',
      skip: fields.get('wp:status')?.trim() === 'trash' ? 'deleted' : url === null ? 'no_url' : null,
    });
  }

  function emitComment(fields: Map<string, string>, line: number) {
    const field = (name: string) => fields.get(`wp:${name}`)?.trim() ?? '';
    if (!COMMENT_TYPES.has(field('comment_type'))) return sink.skipped('notComment');
    const approved = field('comment_approved');
    if (approved === 'trash' || approved === 'post-trashed') return sink.skipped('trash');
    if (approved === 'spam' && options.skipSpam) return sink.skipped('spam');
    const id = field('comment_id');
    const createdAt = utcDate(field('comment_date_gmt')) ?? utcDate(field('comment_date'));
    if (!id || !createdAt) {
      sink.problem(line, `comment ${id || '(no comment_id)'} is skipped: ${id ? 'its date is not a date' : 'no id'}`);
      return sink.skipped('invalid');
    }
    const body = htmlToText(fields.get('wp:comment_content') ?? '', { keepNewlines: true });
    if (body === '') return sink.skipped('empty');
    const userId = field('comment_user_id');
    const name = field('comment_author') || null;
    const registered = userId !== '' && userId !== '0';
    sink.comment({
      sourceId: id,
      threadSourceId: itemId,
      parentSourceId: field('comment_parent') && field('comment_parent') !== '0' ? field('comment_parent') : null,
      authorId: registered
        ? sourceUserId('wordpress', logins.get(userId) ?? `user-${userId}`)
        : guestId('wordpress', field('comment_author_email'), name ?? ''),
      authorName: name,
      body,
      status: approved === 'spam' ? 'rejected' : approved === '1' || approved === 'approve' ? 'approved' : 'pending',
      deleted: false,
      createdAt,
      line,
    });
  }
}
