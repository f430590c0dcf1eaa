/**
 * What one import file may hold, so that no file can take the process's memory or its event
 * loop: each is refused, with its line and column, before it grows past its limit.
 */
export interface ImportLimits {
  /** Elements (XML) or arrays and objects (JSON) inside one another. */
  depth: number;
  /** Characters of one text node, attribute value, CDATA section, name or JSON string. */
  text: number;
  /** Characters of one line of a file read line by line (NDJSON). */
  line: number;
  /** Characters of one record: a thread, a post, a comment, a line's row. */
  record: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { depth: 1000, text: 4 * MIB, line: 4 * MIB, record: 4 * MIB };

/** The environment variables that change them (for files that need more, or for tests). */
const VARIABLES: Record<keyof ImportLimits, string> = {
  depth: 'IMPORT_MAX_DEPTH',
  text: 'IMPORT_MAX_TEXT',
  line: 'IMPORT_MAX_LINE',
  record: 'IMPORT_MAX_RECORD',
};

/** The limits from the environment, the defaults for those unset; a bad value throws, naming its variable. */
export function importLimits(env: Record<string, string | undefined> = process.env): ImportLimits {
  const limits = { ...DEFAULT_IMPORT_LIMITS };
  for (const key of Object.keys(VARIABLES) as (keyof ImportLimits)[]) {
    const raw = env[VARIABLES[key]];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`${VARIABLES[key]} must be a whole number, 1 or more (it is "${raw}")`);
    limits[key] = value;
  }
  return limits;
}

/** Thrown where a file goes past a limit; the readers give it its line and column. */
export class LimitError extends Error {}

/** "more than 1,000 elements deep": what a refusal says. */
export function beyond(limit: number, what: string): LimitError {
  return new LimitError(`more than ${limit.toLocaleString('en')} ${what}`);
}

/** Counts the characters of the record being read; throws past the limit. */
export class RecordSize {
  private size = 0;

  constructor(private readonly limit: number) {}

  add(chars: number): void {
    this.size += chars;
    if (this.size > this.limit) throw beyond(this.limit, 'characters in one record');
  }

  reset(): void {
    this.size = 0;
  }
}
