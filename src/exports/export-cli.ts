import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';
import { devDatabase } from '../database/dev-database';
import { runMigrationsLocked } from '../database/migrate';
import { siteByKey } from './site-by-key';
import { ExportProgress, exportStream } from './export-stream';

const USAGE = `Usage: npm run export -- [--site KEY] FILE     (NDJSON; "-" writes to standard output)
  KEY: the site exported; without it, the first site.
  With DATABASE_URL, exports from that database; without, from the embedded one of npm start.`;

/** `npm run export`; resolves with the exit code. */
export async function exportCli(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { site: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    io.err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  if (args.positionals.length !== 1) {
    io.err.write(`${USAGE}\n`);
    return 2;
  }
  const file = args.positionals[0];
  const dev = process.env.DATABASE_URL ? null : await devDatabase();
  const dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? dev!.url, { extra: { max: 2 } }));
  const started = Date.now();
  const progress: ExportProgress = { comments: 0 };
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    const site = await siteByKey(dataSource, args.values.site);
    if (!site) {
      io.err.write(`There is no site "${args.values.site}": --site takes the key of a site\n`);
      return 2;
    }
    const target = file === '-' ? io.out : createWriteStream(file);
    await pipeline(exportStream(dataSource, site.id, progress), target, { end: file !== '-' });
    const seconds = (Date.now() - started) / 1000;
    io.err.write(
      `Exported ${progress.comments} comments${file === '-' ? '' : ` to ${file}`} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(progress.comments / Math.max(seconds, 0.001))} comments a second)\n`,
    );
    return 0;
  } catch (error) {
    io.err.write(`Export failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dev?.stop();
  }
}

if (require.main === module) {
  exportCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
