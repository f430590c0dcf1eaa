import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { recountArticles } from '../comments/recount';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { ModerationLog } from '../journal/moderation-log.service';
import { CommentDeskImport, tableColumns } from './formats/comment-desk';
import { commentoReader } from './formats/commento';
import { disqusReader } from './formats/disqus';
import { remark42Reader } from './formats/remark42';
import { FormatReader, ImportSink, ReaderOptions } from './formats/records';
import { wordpressReader } from './formats/wordpress';
import { describeImport, emptyCounts } from './import-counts';
import { ImportFormat } from './import-job.entity';
import {
  clearStaleJobs,
  diedBeforeItsRecount,
  FIRST_SITE,
  ImportJobOptions,
  ProgressReporter,
  removeStaging,
} from './import-jobs';
import { ImportLimits, importLimits } from './import-limits';
import { Staging } from './import-staging';
import { addProblem, ImportState, Units } from './import-state';
import { ImportWriter } from './import-writer';

export type { ImportProblem, ImportState } from './import-state';

export const READERS: Partial<Record<ImportFormat, (sink: ImportSink, options: ReaderOptions) => FormatReader>> = {
  disqus: disqusReader,
  wordpress: wordpressReader,
  commento: commentoReader,
  remark42: remark42Reader,
};

/** The formats that can be imported: the XML ones through staging, our own export directly. */
export const IMPORTABLE: ImportFormat[] = [...(Object.keys(READERS) as ImportFormat[]), 'comment-desk'];

/**
 * Articles recounted per transaction: every batch reads the comments table once (no index covers
 * all of an article's comments, tombstones included), so batches are large.
 */
const ARTICLES_PER_RECOUNT = 10_000;
/** A batch is written once it holds this many characters, however few its rows: bounds the memory of long rows. */
const BATCH_CHARS = 8 * 1024 * 1024;
/** Characters given to a reader at once, and the longest it parses before letting the event loop answer others. */
const PIECE = 64 * 1024;
const SLICE_MS = 20;

export interface ImportOptions extends ImportJobOptions {
  skipSpam?: boolean;
  dryRun?: boolean;
  urlPrefix?: string;
  /** Rows per batch (each batch is a transaction of its own). */
  batchSize?: number;
  /** Who asked: an admin through the API; null from the command line (the system). */
  actor?: AuthUser | null;
  /** What one file may hold; from the environment (`IMPORT_MAX_*`) when not given. */
  limits?: ImportLimits;
  /** Stops the import between two pieces of the file, or two batches. */
  signal?: AbortSignal;
}

/** What the file is fed to: text in, batches out. */
interface BatchWriter extends FormatReader {
  readonly pending: number;
  readonly pendingChars: number;
  flush(manager: EntityManager): Promise<void>;
}

/**
 * Imports one export file. It is read as a stream into staging tables (bounded memory, one
 * transaction per batch); only once the whole file is read are articles matched or created,
 * users recorded and comments inserted, parents before replies, one batch per transaction.
 * Each comment is inserted under its unique (source, source_id), so that a re-run, or a run
 * resumed after a stop, creates nothing twice. Then every affected article is recounted under
 * its lock, and one entry in the moderation log records the import.
 */
export async function runImport(dataSource: DataSource, input: Readable, options: ImportOptions): Promise<ImportState> {
  if (!IMPORTABLE.includes(options.format)) throw new Error(`The ${options.format} format cannot be imported yet`);
  const state: ImportState = {
    status: 'reading',
    bytesRead: 0,
    counts: emptyCounts(),
    problems: [],
    error: null,
    seconds: { reading: 0, writing: 0, counting: 0 },
  };
  let phaseStarted = Date.now();
  const phaseEnds = (phase: keyof ImportState['seconds']) => {
    state.seconds[phase] += (Date.now() - phaseStarted) / 1000;
    phaseStarted = Date.now();
  };
  const stagingId = options.jobId ?? randomUUID();
  const site = options.site ?? FIRST_SITE;
  const batchSize = options.batchSize ?? 5000;
  const limits = options.limits ?? importLimits();
  const progress = new ProgressReporter(dataSource, options, state);
  const transactions = new Transactions(dataSource);
  const dryRunner = options.dryRun ? dataSource.createQueryRunner() : undefined;
  const units: Units = dryRunner ? (work) => work(dryRunner.manager) : (work) => transactions.run(work);
  /** The articles to recount once the comments are in; also after a failure, for what went in before it. */
  let touched: () => Promise<string[]> = async () => [];
  /** `finishing`: after a failure or a stop, which must not stop it halfway. */
  const recount = async (finishing = false) => {
    const articleIds = await touched();
    for (let i = 0; i < articleIds.length; i += ARTICLES_PER_RECOUNT) {
      await units((m) => recountArticles(m, articleIds.slice(i, i + ARTICLES_PER_RECOUNT)));
      if (!finishing) options.signal?.throwIfAborted();
      // Also the job's heartbeat: a job silent for ten minutes is taken for one whose process died.
      await progress.report();
    }
  };
  /**
   * Feeds the file to a format's reader, writing what it buffered whenever a batch is full. A
   * batch is written while the next one is read (PostgreSQL and the parser each have a core to
   * work on), never more than one at a time, so batches still go in in order.
   */
  const read = async (writer: BatchWriter) => {
    const decoder = new StringDecoder('utf8');
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      options.signal?.throwIfAborted();
      await progress.report();
      writing = units((m) => writer.flush(m));
      // Awaited at the next flush or at the end; until then, not an unhandled rejection.
      writing.catch(() => undefined);
    };
    let sliceStarted = Date.now();
    try {
      for await (const chunk of input) {
        const bytes = chunk as Buffer;
        state.bytesRead += bytes.length;
        const text = decoder.write(bytes);
        for (let i = 0; i < text.length; i += PIECE) {
          writer.write(text.slice(i, i + PIECE));
          if (writer.pending >= batchSize || writer.pendingChars >= BATCH_CHARS) await flush();
          if (Date.now() - sliceStarted > SLICE_MS) {
            await nextTurn();
            options.signal?.throwIfAborted();
            sliceStarted = Date.now();
          }
        }
        options.signal?.throwIfAborted();
      }
      writer.write(decoder.end());
      writer.end();
      await flush();
      await writing;
    } finally {
      // A file found malformed waits for the batch in flight, so that what follows sees it written.
      await writing.catch(() => undefined);
    }
    options.signal?.throwIfAborted();
    phaseEnds('reading');
    state.status = 'importing';
    await progress.report(true);
  };
  try {
    if (dryRunner) {
      await dryRunner.connect();
      await dryRunner.startTransaction();
    } else {
      await clearStaleJobs(dataSource);
    }
    if (options.format === 'comment-desk') {
      const { columns, logIsEmpty } = await units(async (m) => ({
        columns: await tableColumns(m),
        logIsEmpty: (await sql(m, `SELECT 1 FROM moderation_log LIMIT 1`)).rowCount === 0,
      }));
      const native = new CommentDeskImport(site, state.counts, columns, logIsEmpty, limits, (line, message) =>
        addProblem(state, line > 0 ? { line, message } : { message }),
      );
      touched = async () => [...native.articleIds].sort();
      await read(native);
      await units((m) => native.finish(m));
    } else {
      const staging = new Staging(stagingId, state, { ...options, site });
      const reader = READERS[options.format]!(staging, {
        skipSpam: options.skipSpam ?? false,
        urlPrefix: options.urlPrefix,
        limits,
      });
      await read({
        write: (text) => reader.write(text),
        end: () => reader.end(),
        get pending() {
          return staging.pending;
        },
        get pendingChars() {
          return staging.pendingChars;
        },
        flush: (m) => staging.flush(m),
      });
      await units((m) => staging.applyNames(m));
      // Fresh statistics, or the planner takes the staging tables for empty and joins them row by row.
      await units((m) => m.query('ANALYZE import_staged_threads, import_staged_comments'));
      const writer = new ImportWriter(stagingId, site, options.format, state, units, batchSize);
      await writer.prepare();
      await progress.report();
      // The articles whose counts this run changed; all of the file's after a run of it that died
      // before its recount (one stopped, or failing, recounts what it wrote on its way out).
      touched = async () =>
        (await diedBeforeItsRecount(dataSource, { ...options, site }))
          ? writer.fileArticles
          : [...writer.changedArticles].sort();
      while (await writer.insertBatch()) {
        options.signal?.throwIfAborted();
        await progress.report();
      }
    }
    phaseEnds('writing');
    if (!options.dryRun) await recount();
    phaseEnds('counting');
    state.status = 'succeeded';
    if (dryRunner) await dryRunner.rollbackTransaction();
    else
      await units(async (manager) => {
        await new ModerationLog().record(manager, {
          action: 'import',
          actor: options.actor ?? null,
          targetType: 'import',
          targetId: stagingId,
          reason: describeImport(options.format, options.fileName, state.counts),
        });
        await progress.save(manager);
      });
    if (dryRunner) await progress.report(true);
    return state;
  } catch (error) {
    state.status = 'failed';
    state.error = error instanceof Error ? error.message : String(error);
    if (dryRunner?.isTransactionActive) await dryRunner.rollbackTransaction().catch(() => undefined);
    // What went in before the failure is recounted.
    if (!options.dryRun) await recount(true).catch(() => undefined);
    await progress.report(true).catch(() => undefined);
    throw error;
  } finally {
    await dryRunner?.release();
    if (!options.dryRun) await removeStaging(dataSource, stagingId).catch(() => undefined);
  }
}
