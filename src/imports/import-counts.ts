import { SkipReason } from './formats/records';

/** What an import read, did and left out: the job's `counts` and the CLI's summary. */
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
    /** Only from comment-desk exports: the other formats know no unreviewed visible state. */
    published?: number;
    pending: number;
    rejected: number;
    tombstones: number;
    /** Replies whose parent is not in the file (or was left out): imported as top-level comments. */
    madeTopLevel: number;
    skipped: Record<SkipReason | 'deleted' | 'threadSkipped' | 'duplicate', number> & {
      /** Present once some are: comments whose author is another site's user (a user never changes site). */
      otherSiteUser?: number;
    };
  };
  users: { created: number };
  /** Only from comment-desk exports. */
  other?: { settings: number; revisions: number; reports: number; logEntries: number; notes?: number };
}

export function emptyCounts(): ImportCounts {
  return {
    threads: { read: 0, skippedDeleted: 0, skippedNoUrl: 0, articlesCreated: 0, articlesMatched: 0 },
    comments: {
      read: 0,
      imported: 0,
      alreadyImported: 0,
      approved: 0,
      pending: 0,
      rejected: 0,
      tombstones: 0,
      madeTopLevel: 0,
      skipped: { spam: 0, trash: 0, notComment: 0, empty: 0, invalid: 0, deleted: 0, threadSkipped: 0, duplicate: 0 },
    },
    users: { created: 0 },
  };
}

export function skippedTotal(counts: ImportCounts): number {
  return Object.values(counts.comments.skipped).reduce((a, b) => a + b, 0);
}

/** One line for the moderation log: what was imported and what was left out. */
export function describeImport(format: string, fileName: string, counts: ImportCounts): string {
  const c = counts.comments;
  const skipped = Object.entries(c.skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${why} ${n}`)
    .join(', ');
  return (
    `${format} file "${fileName}": ${c.imported} comments imported (${c.approved} approved, ${c.pending} pending, ` +
    `${c.rejected} rejected, ${c.tombstones} tombstones, ${c.madeTopLevel} replies made top-level), ` +
    `${c.alreadyImported} already imported, ${skippedTotal(counts)} skipped${skipped ? ` (${skipped})` : ''}; ` +
    `${counts.threads.articlesCreated} articles created, ${counts.threads.articlesMatched} matched, ` +
    `${counts.threads.skippedDeleted + counts.threads.skippedNoUrl} threads skipped ` +
    `(deleted ${counts.threads.skippedDeleted}, no usable URL ${counts.threads.skippedNoUrl}); ` +
    `${counts.users.created} users created`
  );
}
