import { ApiError } from './api';
import type { Strings } from './i18n';

/** What to tell the reader when a call failed: the service's problem code, in the thread's language. */
export function errorMessage(t: Strings, error: unknown): string {
  const e = t.errors;
  if (!(error instanceof ApiError)) return e.other;
  switch (error.code) {
    case 'ARTICLE_CLOSED':
      return error.detail || e.closed;
    case 'USER_BANNED':
      return e.banned;
    case 'RATE_LIMITED':
      return e.rateLimited(error.retryAfter);
    case 'VALIDATION_FAILED':
      return error.fields.includes('body') ? e.tooLong : e.other;
    case 'PAYLOAD_TOO_LARGE':
      return e.tooLong;
    case 'UNAUTHENTICATED':
      return e.signInAgain;
    case 'FORBIDDEN':
      return e.forbidden;
    case 'OTHER_SITE':
      return e.otherSite;
    case 'ORIGIN_NOT_ALLOWED':
      return e.originRefused;
    case 'NOT_FOUND':
      return e.notFound;
    case 'CONFLICT':
      return e.duplicate;
    case 'NETWORK':
      return e.network;
    default:
      return e.other;
  }
}
