import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/** PostgreSQL error codes (SQLSTATE) that the service reacts to. */
export const PG = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  CHECK_VIOLATION: '23514',
  NOT_NULL_VIOLATION: '23502',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  INVALID_TEXT_REPRESENTATION: '22P02',
  CHARACTER_NOT_IN_REPERTOIRE: '22021',
  UNTRANSLATABLE_CHARACTER: '22P05',
  NUMERIC_VALUE_OUT_OF_RANGE: '22003',
  DATETIME_FIELD_OVERFLOW: '22008',
  STRING_DATA_RIGHT_TRUNCATION: '22001',
  QUERY_CANCELED: '57014',
  ADMIN_SHUTDOWN: '57P01',
  CRASH_SHUTDOWN: '57P02',
  CANNOT_CONNECT_NOW: '57P03',
  TOO_MANY_CONNECTIONS: '53300',
} as const;

export function pgCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: string; driverError?: { constraint?: string } };
  return e?.driverError?.constraint ?? e?.constraint;
}

const RETRYABLE = new Set<string>([PG.SERIALIZATION_FAILURE, PG.DEADLOCK_DETECTED]);
export const isRetryable = (error: unknown) => RETRYABLE.has(pgCode(error) ?? '');

const BAD_INPUT = new Set<string>([
  PG.NOT_NULL_VIOLATION,
  PG.CHECK_VIOLATION,
  PG.INVALID_TEXT_REPRESENTATION,
  PG.CHARACTER_NOT_IN_REPERTOIRE,
  PG.UNTRANSLATABLE_CHARACTER,
  PG.NUMERIC_VALUE_OUT_OF_RANGE,
  PG.DATETIME_FIELD_OVERFLOW,
  PG.STRING_DATA_RIGHT_TRUNCATION,
]);
export const isBadInput = (error: unknown) => BAD_INPUT.has(pgCode(error) ?? '');

const UNAVAILABLE = new Set<string>([
  PG.ADMIN_SHUTDOWN,
  PG.CRASH_SHUTDOWN,
  PG.CANNOT_CONNECT_NOW,
  PG.TOO_MANY_CONNECTIONS,
  PG.QUERY_CANCELED,
]);
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** The database cannot be reached or is going away: a 503, not a bug. */
export function isUnavailable(error: unknown): boolean {
  // TypeORM releases a transaction's query runner when its connection reports an error (the
  // server shut down or the socket broke between two statements); the next statement then fails
  // with one of these instead of a PostgreSQL code.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError)
    return true;
  const code = pgCode(error);
  if (code && (UNAVAILABLE.has(code) || CONNECTION_ERRNOS.has(code) || code.startsWith('08'))) return true;
  const message = (error as Error)?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(
    message,
  );
}
