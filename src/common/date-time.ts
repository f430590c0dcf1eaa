import { applyDecorators } from '@nestjs/common';
import { IsDate, MaxDate, MinDate } from 'class-validator';

// An answer carries dates as RFC 3339 date-times: four-digit years, so none before 1970 or after 9999.
const EARLIEST = new Date('1970-01-01T00:00:00.000Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

/** A date-time sent in a request, one that answers can give back as it was stored. */
export const IsDateTime = (name: string) =>
  applyDecorators(
    IsDate({ message: `${name} must be an ISO 8601 date-time` }),
    MinDate(EARLIEST, { message: `${name} must not be before 1970` }),
    MaxDate(LATEST, { message: `${name} must not be after the year 9999` }),
  );
