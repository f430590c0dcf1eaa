import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';
import { devDatabase } from '../database/dev-database';
import { runMigrationsLocked } from '../database/migrate';
import { ImportCounts, skippedTotal } from './import-counts';
import { ImportFormat } from './import-job.entity';
import { createJob } from './import-jobs';
import { siteByKey } from '../exports/site-by-key';
import { IMPORTABLE, ImportState, runImport } from './import-runner';

const USAGE = `Usage: npm run import -- --format FORMAT [--site KEY] [--dry-run] [--skip-spam] [--url-prefix URL] FILE
  FORMAT: ${IMPORTABLE.join(', ')}
  KEY: the site imported into (its articles, users and settings); without it, the first site.
  With DATABASE_URL, imports into that database; without, into the embedded one of npm start.`;

export interface CliOutput {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

/** `npm run import`; resolves with the exit code. */
export async function importCli(argv: string[], io: CliOutput = { out: process.stdout, err: process.stderr }) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        site: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-spam': { type: 'boolean', default: false },
        'url-prefix': { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.format as ImportFormat | undefined;
  if (!format || !IMPORTABLE.includes(format) || positionals.length !== 1) {
    io.err.write(`${format && !IMPORTABLE.includes(format) ? `Unknown format "${format}".\n` : ''}${USAGE}\n`);
    return 2;
  }
  const file = positionals[0];
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    io.err.write(`Cannot read ${file}\n`);
    return 2;
  }

  const dev = process.env.DATABASE_URL ? null : await devDatabase();
  const dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? dev!.url, { extra: { max: 4 } }));
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('stopped (run the same command again to resume)'));
  process.once('SIGINT', stop);
  const bar = io.err.isTTY
    ? new SingleBar({
        format: '{phase} [{bar}] {percentage}% | {read} of {total} MB | {comments} comments, {rate}/s',
        stream: io.err as NodeJS.WritableStream,
        hideCursor: true,
      })
    : undefined;
  const started = Date.now();
  const rate = (counts: ImportCounts) =>
    Math.round((counts.comments.read * 1000) / Math.max(1, Date.now() - started)).toLocaleString('en');
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    const site = await siteByKey(dataSource, values.site);
    if (!site) {
      io.err.write(`There is no site "${values.site}": --site takes the key of a site\n`);
      return 2;
    }
    const dryRun = values['dry-run'];
    const fileName = basename(file);
    const options = { skipSpam: values['skip-spam'], urlPrefix: values['url-prefix'] ?? null };
    const jobId = dryRun
      ? undefined
      : await createJob(dataSource, format, fileName, {
          siteId: site.id,
          dryRun,
          options,
          actorId: null,
          bytesTotal: size,
        });
    bar?.start(size, 0, { phase: 'reading', read: '0.0', total: (size / 1e6).toFixed(1), comments: 0, rate: 0 });
    const state = await runImport(dataSource, createReadStream(file, { highWaterMark: 256 * 1024 }), {
      format,
      fileName,
      site,
      dryRun,
      skipSpam: options.skipSpam,
      urlPrefix: values['url-prefix'],
      batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
      jobId,
      signal: abort.signal,
      onProgress: (s: ImportState) =>
        bar?.update(s.bytesRead, {
          phase: s.status,
          read: (s.bytesRead / 1e6).toFixed(1),
          comments: s.counts.comments.read.toLocaleString('en'),
          rate: rate(s.counts),
        }),
    });
    bar?.stop();
    io.out.write(summary(state, { dryRun, seconds: (Date.now() - started) / 1000, jobId }));
    return 0;
  } catch (error) {
    bar?.stop();
    io.err.write(`Import of ${file} failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', stop);
    if (dataSource.isInitialized) await dataSource.destroy();
    await dev?.stop();
  }
}

function summary(state: ImportState, run: { dryRun: boolean; seconds: number; jobId?: string }): string {
  const { threads, comments, users } = state.counts;
  const rows: [string, number | string][] = [
    ['threads read', threads.read],
    ['  skipped: deleted', threads.skippedDeleted],
    ['  skipped: no usable URL', threads.skippedNoUrl],
    ['articles created', threads.articlesCreated],
    ['articles matched by URL', threads.articlesMatched],
    ['comments read', comments.read],
    [run.dryRun ? 'comments to import' : 'comments imported', comments.imported],
    ...(comments.published !== undefined ? [['  published', comments.published] as [string, number]] : []),
    ['  approved', comments.approved],
    ['  pending', comments.pending],
    ['  rejected (spam)', comments.rejected],
    ['  tombstones', comments.tombstones],
    ['  replies made top-level', comments.madeTopLevel],
    ['already imported', comments.alreadyImported],
    ['comments skipped', skippedTotal(state.counts)],
    ...Object.entries(comments.skipped).map(([why, n]): [string, number] => [`  ${why}`, n]),
    ['users created', users.created],
    ...Object.entries(state.counts.other ?? {}).map(([what, n]): [string, number] => [`${what} imported`, n]),
    ['comments per second', Math.round(comments.read / Math.max(run.seconds, 0.001))],
    ['seconds reading the file', state.seconds.reading.toFixed(1)],
    ['seconds writing comments', state.seconds.writing.toFixed(1)],
    ['seconds recounting', state.seconds.counting.toFixed(1)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${String(value).padStart(10)}`);
  const head = run.dryRun ? 'Dry run: nothing was changed.' : `Import ${run.jobId} succeeded.`;
  const problems = state.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.message}`);
  return [head, ...lines, ...(problems.length ? ['Problems:', ...problems] : []), ''].join('\n');
}

if (require.main === module) {
  importCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
