import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isBadInput, isRetryable, isUnavailable, pgCode, PG } from './pg-errors';
import { AppError, ErrorCode } from './app-error';
import { isUpload } from './body-reading';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  USER_BANNED: 'You are banned from commenting',
  OTHER_SITE: "This is another site's",
  ORIGIN_NOT_ALLOWED: 'This page may not embed this site',
  URL_NOT_ALLOWED: 'This URL cannot be called',
  ADDRESS_NOT_PUBLIC: 'This URL does not lead to a public address',
  NOT_FOUND: 'Not found',
  ARTICLE_CLOSED: 'This article is closed to comments',
  CONFLICT: 'Conflict',
  REQUEST_TIMEOUT: 'The request took too long to arrive',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'The service is unavailable',
  INTERNAL: 'Internal error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: AppError['errors'];
}

/**
 * Answers with the problem+json of an error; nosniff here too, as some errors are found before
 * the hooks that set the security headers have run.
 */
export function sendProblem(request: FastifyRequest | undefined, reply: FastifyReply, error: AppError): void {
  const problem: Problem = {
    type: `urn:comment-desk:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: request?.originalUrl?.split('?')[0],
    ...(error.errors ? { errors: error.errors } : {}),
  };
  reply.header('X-Content-Type-Options', 'nosniff');
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  else if (error.code === 'UNAVAILABLE' && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '5');
  reply.code(error.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}

/**
 * Errors of Fastify's router (a path that does not decode, a parameter over the length limit),
 * found before any hook runs.
 */
export function answerRouterError(_error: Error, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(request, reply, AppError.validation('The request path could not be read'));
}

/** Turns every error into RFC 9457 problem+json with a stable code; nothing leaks a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toAppError(exception, request);
    if (error.code === 'INTERNAL') this.logger.error(exception instanceof Error ? exception.stack : exception);
    if (reply.sent || reply.raw.headersSent) return;
    sendProblem(request, reply, error);
  }

  toAppError(exception: unknown, request?: FastifyRequest): AppError {
    if (exception instanceof AppError) return exception;
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    // Reading the body (Fastify's own errors, zlib's) marks the client's faults.
    const { statusCode: status, code } = (exception ?? {}) as { statusCode?: unknown; code?: unknown };
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (typeof code === 'string' && code.startsWith('Z_'))
        return AppError.validation(
          `The body could not be decoded: it is not ${request?.headers['content-encoding']} as its Content-Encoding says`,
        );
      return this.fromStatus(status, request);
    }
    if (pgCode(exception) === PG.UNIQUE_VIOLATION) return AppError.conflict('This already exists');
    if (isBadInput(exception)) return AppError.validation('A value in the request is not valid');
    if (isUnavailable(exception) || isRetryable(exception)) {
      return new AppError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'UNAVAILABLE',
        'The database is unavailable; try again shortly',
      );
    }
    return new AppError(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', 'Something went wrong on our side');
  }

  private fromStatus(status: number, request?: FastifyRequest): AppError {
    if (status === 413) return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (status !== 415) return AppError.validation('The request body could not be read');
    const type = request?.headers['content-type'];
    const sent = type ? `not ${JSON.stringify(type.slice(0, 100))}` : 'and none was given';
    return AppError.validation(
      request && isUpload(request)
        ? `The export file's Content-Type must be application/xml, text/xml, application/json, application/x-ndjson or application/octet-stream, ${sent}`
        : `The body must be JSON, with Content-Type: application/json, ${sent}`,
    );
  }

  private fromHttpException(exception: HttpException, request?: FastifyRequest): AppError {
    const status = exception.getStatus();
    if (status === 413 || status === 415) return this.fromStatus(status, request); // Fastify, reading the body
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const body = exception.getResponse();
    let detail = exception.message;
    if (typeof body === 'object' && body !== null && 'message' in body) {
      const message = (body as { message: unknown }).message;
      detail = Array.isArray(message) ? message.join('; ') : String(message);
    }
    if (status === 404) detail = 'No such resource';
    if (status === 429) detail = 'Too many requests; slow down';
    return new AppError(status, code, detail);
  }
}
