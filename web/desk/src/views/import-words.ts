import { count, number } from '../format';

/** The formats an import reads, as admins know them. */
export const FORMATS = {
  disqus: 'Disqus XML export',
  wordpress: 'WordPress WXR export',
  commento: 'Commento JSON export',
  remark42: 'Remark42 backup',
  'comment-desk': 'Comment Desk export',
} as const;
export type Format = keyof typeof FORMATS;

/** The job's `counts`, as the API fills them (docs/openapi.json says them only in words). */
export interface ImportCounts {
  threads: {
    read: number;
    skippedDeleted: number;
    skippedNoUrl: number;
    articlesCreated: number;
    articlesMatched: number;
  };
  comments: {
    read: number;
    imported: number;
    alreadyImported: number;
    approved: number;
    published?: number;
    pending: number;
    rejected: number;
    tombstones: number;
    madeTopLevel: number;
    skipped: Record<string, number>;
  };
  users: { created: number };
}

/** One sentence of what an import did: "12 comments in 3 new articles, 2 left out". */
export function describeCounts(counts: ImportCounts): string {
  const c = counts.comments;
  const left = Object.values(c.skipped ?? {}).reduce((a, b) => a + b, 0);
  return [
    count(c.imported, 'comment', 'comments'),
    `${count(counts.threads.articlesCreated, 'new article', 'new articles')} and ${count(counts.threads.articlesMatched, 'existing one', 'existing ones')}`,
    `${count(counts.users.created, 'new commenter', 'new commenters')}`,
    `${number(c.alreadyImported ?? 0)} already imported`,
    `${number(left)} left out`,
  ].join(', ');
}
