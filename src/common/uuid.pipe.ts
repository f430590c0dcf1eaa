import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/** Path ids: a malformed one is a 400 with our problem code, never a database error. */
export const UuidParam = () =>
  new ParseUUIDPipe({
    exceptionFactory: () => AppError.validation('id must be a UUID', [{ field: 'id', messages: ['must be a UUID'] }]),
  });
