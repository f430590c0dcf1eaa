import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { mustHold } from '../auth/site-access';
import { Site } from '../sites/site.entity';
import { AppError } from '../errors/app-error';
import { ImportJobView, StartImportQueryDto } from './dto/import.dto';
import { ImportFormat, ImportJob } from './import-job.entity';
import { ImportLimits, importLimits } from './import-limits';
import { clearStaleJobs, createJob, failInterruptedJob } from './import-jobs';
import { runImport } from './import-runner';
import { createUploadFolder, recordJob, removeUploadFolder, sweepUploadFolders } from './upload-folders';

/** Import jobs started through the admin API, run in the background of this instance. */
@Injectable()
export class ImportsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Imports');
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Read at boot: a bad IMPORT_MAX_* stops the service from starting. */
  private readonly limits: ImportLimits = importLimits();

  constructor(private readonly dataSource: DataSource) {}

  /** The jobs of a process on this machine that died are marked failed, and its uploads removed. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const jobId of await sweepUploadFolders()) await failInterruptedJob(this.dataSource, jobId);
      await clearStaleJobs(this.dataSource);
    } catch (error) {
      this.logger.warn(`Could not clear the imports of stopped processes: ${(error as Error).message}`);
    }
  }

  /**
   * Receives the file into a temporary file (an upload can be far larger than memory), records
   * the job, and starts it: the caller follows it with find().
   */
  async start(query: StartImportQueryDto, upload: unknown, actor: AuthUser, site: Site): Promise<ImportJobView> {
    mustHold(actor, site.id, 'admin');
    if (!(upload instanceof Readable)) {
      throw AppError.validation(
        'The request body must be the export file, sent as application/xml, text/xml, application/json, application/x-ndjson or application/octet-stream',
      );
    }
    const dir = await createUploadFolder();
    const path = join(dir, 'upload');
    try {
      await pipeline(upload, createWriteStream(path));
    } catch {
      await removeUploadFolder(dir);
      throw AppError.validation('The upload could not be read to its end');
    }
    const options = { skipSpam: query.skipSpam === 'true', urlPrefix: query.urlPrefix ?? null };
    const format = query.format as ImportFormat;
    const fileName = query.fileName ?? 'upload';
    const dryRun = query.dryRun === 'true';
    let jobId: string;
    try {
      const { size } = await stat(path);
      if (size === 0) throw AppError.validation('The request body must be the export file; it is empty');
      jobId = await createJob(this.dataSource, format, fileName, {
        siteId: site.id,
        dryRun,
        options,
        actorId: actor.id,
        bytesTotal: size,
      });
      await recordJob(dir, jobId);
    } catch (error) {
      await removeUploadFolder(dir);
      throw error;
    }
    const abort = new AbortController();
    const done = runImport(this.dataSource, createReadStream(path), {
      format,
      fileName,
      site: { id: site.id, key: site.key },
      dryRun,
      skipSpam: options.skipSpam,
      urlPrefix: query.urlPrefix,
      actor,
      jobId,
      limits: this.limits,
      signal: abort.signal,
    })
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`Import ${jobId} failed: ${error.message}`))
      .finally(async () => {
        this.running.delete(jobId);
        await removeUploadFolder(dir);
      });
    this.running.set(jobId, { abort, done });
    return this.find(jobId, actor, site);
  }

  /** A job of the request's site: another site's is answered as missing. */
  async find(id: string, user: AuthUser, site: Site): Promise<ImportJobView> {
    const job = await this.dataSource.manager.findOneBy(ImportJob, { id, siteId: site.id });
    if (!job) throw AppError.notFound('The import');
    mustHold(user, job.siteId, 'admin', 'The import');
    return ImportJobView.of(job);
  }

  /** Stops the jobs (between two pieces of the file, or two batches); run again, an import resumes without duplicates. */
  async onApplicationShutdown(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort(new Error('stopped: the service shut down'));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
