import { HttpStatus } from '@nestjs/common';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'USER_BANNED'
  | 'OTHER_SITE'
  | 'ORIGIN_NOT_ALLOWED'
  | 'URL_NOT_ALLOWED'
  | 'ADDRESS_NOT_PUBLIC'
  | 'NOT_FOUND'
  | 'ARTICLE_CLOSED'
  | 'CONFLICT'
  | 'REQUEST_TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface FieldError {
  field: string;
  messages: string[];
}

/** A failure the client can act on: rendered as problem+json with a stable code. */
export class AppError extends Error {
  /** Sent as Retry-After. */
  retryAfterSeconds?: number;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }

  static validation(message: string, errors?: FieldError[]) {
    return new AppError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, errors);
  }
  static notFound(what: string) {
    return new AppError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} was not found`);
  }
  static forbidden(message = 'You may not do this') {
    return new AppError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
  }
  static conflict(message: string) {
    return new AppError(HttpStatus.CONFLICT, 'CONFLICT', message);
  }
  static rateLimited(message: string, retryAfterSeconds: number) {
    const error = new AppError(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', message);
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
  }
  static unauthenticated(message = 'A valid bearer token is required') {
    return new AppError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', message);
  }
}
