import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { AppError } from '../errors/app-error';
import { ImportJobView, StartImportQueryDto } from './dto/import.dto';
import { ImportFormat, ImportJob } from './import-job.entity';
import { createJob, runImport } from './import-runner';

/** Import jobs started through the admin API, run in the background of this instance. */
@Injectable()
export class ImportsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Imports');
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Receives the file into a temporary file (an upload can be far larger than memory), records
   * the job, and starts it: the caller follows it with find().
   */
  async start(query: StartImportQueryDto, upload: unknown, actor: AuthUser): Promise<ImportJobView> {
    if (!(upload instanceof Readable)) {
      throw AppError.validation(
        'The request body must be the export file, sent as application/xml, text/xml, application/json, application/x-ndjson or application/octet-stream',
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'comment-desk-import-'));
    const path = join(dir, 'upload');
    try {
      await pipeline(upload, createWriteStream(path));
    } catch {
      await rm(dir, { recursive: true, force: true });
      throw AppError.validation('The upload could not be read to its end');
    }
    const { size } = await stat(path);
    if (size === 0) {
      await rm(dir, { recursive: true, force: true });
      throw AppError.validation('The request body must be the export file; it is empty');
    }
    const options = { skipSpam: query.skipSpam === 'true', urlPrefix: query.urlPrefix ?? null };
    const format = query.format as ImportFormat;
    const fileName = query.fileName ?? 'upload';
    const dryRun = query.dryRun === 'true';
    const jobId = await createJob(this.dataSource, format, fileName, {
      dryRun,
      options,
      actorId: actor.id,
      bytesTotal: size,
    });
    const abort = new AbortController();
    const done = runImport(this.dataSource, createReadStream(path), {
      format,
      fileName,
      dryRun,
      skipSpam: options.skipSpam,
      urlPrefix: query.urlPrefix,
      actor,
      jobId,
      signal: abort.signal,
    })
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`Import ${jobId} failed: ${error.message}`))
      .finally(async () => {
        this.running.delete(jobId);
        await rm(dir, { recursive: true, force: true });
      });
    this.running.set(jobId, { abort, done });
    return this.find(jobId);
  }

  async find(id: string): Promise<ImportJobView> {
    const job = await this.dataSource.manager.findOneBy(ImportJob, { id });
    if (!job) throw AppError.notFound('The import');
    return ImportJobView.of(job);
  }

  /** Stops the jobs between two batches; run again, an import resumes without duplicates. */
  async onApplicationShutdown(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort(new Error('stopped: the service shut down'));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
