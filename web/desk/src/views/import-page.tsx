import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, api, call, type Schemas } from '../api/client';
import { uploadFile, type Sent } from '../api/upload';
import { count, number, when } from '../format';
import { Fields, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { go, href, route } from '../router';
import { isAdminHere } from '../site-choice';
import { describeCounts, FORMATS, type Format, type ImportCounts } from './import-words';

type Job = Schemas['ImportJobView'];

/** `#/imports`: an admin uploads an export file; `#/imports/<id>` follows that import to its end. */
export function ImportPage() {
  const id = route.value.parts[0];
  const heading = usePageHeading('Import comments');
  const isAdmin = isAdminHere();
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Import comments
      </h1>
      {!isAdmin ? (
        <p class="panel" role="alert">
          Only administrators can import comments.
        </p>
      ) : id ? (
        <JobProgress key={id} id={id} />
      ) : (
        <UploadForm />
      )}
    </>
  );
}

const IMPORT_FIELDS = {
  file: { label: 'Export file' },
  format: { label: 'Format' },
  urlPrefix: { label: 'Address of the site' },
  fileName: { label: 'File name' },
  dryRun: { label: 'Try it first' },
  skipSpam: { label: 'Leave spam out' },
};
const SHOWN = ['file', 'format', 'urlPrefix'];

function UploadForm() {
  const file = useSignal<File | null>(null);
  const format = useSignal<Format | ''>('');
  const dryRun = useSignal(true);
  const skipSpam = useSignal(false);
  const urlPrefix = useSignal('');
  const sent = useSignal<Sent | null>(null);
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const stop = useRef<AbortController | null>(null);
  useEffect(() => () => stop.current?.abort(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sent.value) return;
    problem.value = null;
    const missing: FieldErrors = {};
    if (!file.value) missing.file = ['file must be chosen']; // said as the API says it: "Export file must be chosen"
    if (!format.value) missing.format = ['format must be chosen'];
    errors.value = missing;
    if (!file.value || !format.value) return focusFirstInvalid(form.current);
    const query = new URLSearchParams({ format: format.value, fileName: file.value.name.slice(0, 200) });
    if (dryRun.value) query.set('dryRun', 'true');
    if (skipSpam.value) query.set('skipSpam', 'true');
    if (format.value === 'commento' && urlPrefix.value.trim()) query.set('urlPrefix', urlPrefix.value.trim());
    stop.current = new AbortController();
    sent.value = { loaded: 0, total: file.value.size };
    try {
      const job = await uploadFile<Job>(
        `/api/admin/imports?${query}`,
        file.value,
        (progress) => (sent.value = progress),
        stop.current.signal,
      );
      go(href('imports', [job.id]));
    } catch (error) {
      errors.value = fieldErrors(error);
      const refusal = new Fields('import', errors.value, IMPORT_FIELDS).refusal(error, SHOWN, 'Not started');
      if (refusal) problem.value = refusal;
      focusFirstInvalid(form.current);
    } finally {
      sent.value = null;
      stop.current = null;
    }
  };

  const f = new Fields('import', errors.value, IMPORT_FIELDS);
  /** While set, the file is going: what it is sent with cannot change. */
  const s = sent.value;
  return (
    <form ref={form} class="panel stack" aria-labelledby="import-upload" onSubmit={submit} noValidate>
      <h2 id="import-upload">Upload an export</h2>
      <p class="muted">
        Comments exported from another system, imported with their articles and authors. Comments imported before are
        recognised and not imported twice.
      </p>
      <label for="import-file">Export file</label>
      <input
        id="import-file"
        type="file"
        disabled={!!s}
        accept=".xml,.json,.ndjson,.jsonl,.gz,application/xml,text/xml,application/json"
        onChange={(e) => {
          file.value = e.currentTarget.files?.[0] ?? null;
          const guessed = file.value && guessFormat(file.value.name);
          if (guessed && !format.value) format.value = guessed;
        }}
        {...f.control('file')}
      />
      {f.message('file')}
      <label for="import-format">Format</label>
      <select
        id="import-format"
        disabled={!!s}
        value={format.value}
        onChange={(e) => (format.value = e.currentTarget.value as Format)}
        {...f.control('format')}
      >
        <option value="">Choose…</option>
        {Object.entries(FORMATS).map(([value, label]) => (
          <option value={value}>{label}</option>
        ))}
      </select>
      {f.message('format')}
      {format.value === 'commento' && (
        <>
          <label for="import-url-prefix">Address of the site</label>
          <input
            id="import-url-prefix"
            type="url"
            inputMode="url"
            maxLength={2048}
            placeholder="https://www.example.com/"
            value={urlPrefix.value}
            onInput={(e) => (urlPrefix.value = e.currentTarget.value)}
            {...f.control('urlPrefix', 'import-url-prefix-hint')}
          />
          <p id="import-url-prefix-hint" class="muted hint">
            Commento names pages by their path: this goes in front of it to make each article’s address.
          </p>
          {f.message('urlPrefix')}
        </>
      )}
      <label class="inline">
        <input
          type="checkbox"
          disabled={!!s}
          checked={dryRun.value}
          onChange={(e) => (dryRun.value = e.currentTarget.checked)}
        />
        Try it first: say what would be imported, change nothing
      </label>
      <label class="inline">
        <input
          type="checkbox"
          disabled={!!s}
          checked={skipSpam.value}
          onChange={(e) => (skipSpam.value = e.currentTarget.checked)}
        />
        Leave spam out (otherwise imported as rejected)
      </label>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {s ? (
        <div class="stack upload-progress">
          <label for="import-sent">Uploading {file.value?.name}</label>
          <progress id="import-sent" max={s.total || 1} value={s.loaded} />
          <p class="muted" role="status">
            {percent(s.loaded, s.total)} sent ({bytes(s.loaded)} of {bytes(s.total)})
          </p>
          <button type="button" class="quiet" onClick={() => stop.current?.abort()}>
            Stop the upload
          </button>
        </div>
      ) : (
        <button type="submit" class="primary">
          {dryRun.value ? 'Upload and try' : 'Upload and import'}
        </button>
      )}
    </form>
  );
}

/** The format a file's name tells (as each system names its exports), for the admin to confirm. */
function guessFormat(name: string): Format | null {
  const lower = name.toLowerCase();
  if (lower.includes('comment-desk')) return 'comment-desk';
  if (lower.includes('remark') || lower.startsWith('backup-')) return 'remark42';
  if (lower.includes('disqus')) return 'disqus';
  if (lower.includes('wordpress') || lower.includes('wxr')) return 'wordpress';
  if (lower.includes('commento')) return 'commento';
  return null;
}

const FINISHED = new Set(['succeeded', 'failed']);

/** The job, asked for again every second until it has finished. */
function JobProgress({ id }: { id: string }) {
  const job = useSignal<Job | null>(null);
  const failure = useSignal<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      try {
        const next = await call(() => api.GET('/api/admin/imports/{id}', { params: { path: { id } } }));
        if (stopped) return;
        job.value = next;
        if (!FINISHED.has(next.status)) timer = setTimeout(poll, 1000);
      } catch (error) {
        if (stopped) return;
        failure.value =
          error instanceof ApiError && (error.status === 404 || error.status === 400)
            ? 'There is no import with this id.'
            : `Could not follow the import: ${problemText(error)}`;
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  const j = job.value;
  if (failure.value)
    return (
      <p class="error" role="alert">
        {failure.value} <a href={href('imports')}>Start another import</a>
      </p>
    );
  if (!j) return <p class="loading">Loading…</p>;
  const counts = j.counts as unknown as ImportCounts;
  return (
    <section class="panel import-job" aria-labelledby="import-job">
      <h2 id="import-job">
        <bdi>{j.fileName}</bdi>, {FORMATS[j.format]}
        {j.dryRun ? ', tried without importing' : ''}
      </h2>
      <p class="muted">Started {when(j.createdAt)}.</p>
      <p role="status" class={j.status === 'failed' ? 'error' : undefined}>
        {statusText(j, counts)}
      </p>
      {j.status === 'reading' && j.bytesTotal ? (
        <progress aria-label="Read of the file" max={j.bytesTotal} value={j.bytesRead} />
      ) : null}
      {counts?.comments && (
        <>
          <h3>{FINISHED.has(j.status) ? 'Counts' : 'So far'}</h3>
          <Counts counts={counts} />
        </>
      )}
      {j.problems.length > 0 && (
        <details>
          <summary>{count(j.problems.length, 'problem', 'problems')} in the file</summary>
          <ul>
            {(j.problems as unknown as { line?: number; message: string }[]).map((p) => (
              <li>
                {p.line ? `Line ${number(p.line)}: ` : ''}
                {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      {FINISHED.has(j.status) && (
        <p class="actions">
          <a href={href('imports')}>Start another import</a>
          {!j.dryRun && j.status === 'succeeded' && <a href={href('articles')}>See the articles</a>}
        </p>
      )}
    </section>
  );
}

function statusText(j: Job, counts: ImportCounts): string {
  switch (j.status) {
    case 'reading':
      return `Reading the file: ${percent(j.bytesRead, j.bytesTotal ?? 0)}, ${count(counts.comments?.read ?? 0, 'comment', 'comments')} so far.`;
    case 'importing':
      return `Importing: ${count(counts.comments?.read ?? 0, 'comment', 'comments')} read.`;
    case 'succeeded':
      return j.dryRun
        ? `Tried: nothing was changed. Imported for real, it would give ${describeCounts(counts)}.`
        : `Imported: ${describeCounts(counts)}.`;
    default:
      return `The import failed: ${(j.error ?? 'no reason was given').replace(/\.$/, '')}.${j.dryRun ? '' : ' Run again, it goes on without duplicates.'}`;
  }
}

function Counts({ counts }: { counts: ImportCounts }) {
  const c = counts.comments;
  const skipped = Object.entries(c.skipped ?? {}).filter(([, n]) => n > 0);
  const rows: [string, number][] = [
    ['Comments read', c.read],
    ['Comments imported', c.imported],
    ['Approved', c.approved],
    ...(c.published !== undefined ? [['Published', c.published] as [string, number]] : []),
    ['Pending', c.pending],
    ['Rejected', c.rejected],
    ['Deleted (kept as “removed”)', c.tombstones],
    ['Replies made top-level', c.madeTopLevel],
    ['Already imported', c.alreadyImported],
    ...skipped.map(([why, n]): [string, number] => [`Left out: ${SKIPPED[why] ?? why}`, n]),
    ['Threads read', counts.threads.read],
    ['Articles created', counts.threads.articlesCreated],
    ['Articles already here', counts.threads.articlesMatched],
    ['Threads left out', counts.threads.skippedDeleted + counts.threads.skippedNoUrl],
    ['Commenters created', counts.users.created],
  ];
  return (
    <dl class="tally">
      {rows.map(([label, n]) => (
        <div>
          <dt>{label}</dt>
          <dd>{number(n ?? 0)}</dd>
        </div>
      ))}
    </dl>
  );
}

const SKIPPED: Record<string, string> = {
  spam: 'spam',
  trash: 'in the trash',
  notComment: 'not comments',
  empty: 'empty',
  invalid: 'unreadable',
  deleted: 'deleted',
  threadSkipped: 'of threads left out',
  duplicate: 'twice in the file',
};

const percent = (part: number, whole: number) => `${whole > 0 ? Math.floor((part * 100) / whole) : 0} %`;

function bytes(n: number): string {
  if (n < 1024) return count(n, 'byte', 'bytes');
  if (n < 1024 * 1024) return `${number(Math.round(n / 102.4) / 10)} KB`;
  return `${number(Math.round(n / (1024 * 102.4)) / 10)} MB`;
}
