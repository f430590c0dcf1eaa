import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from './omittable';
import { AppError } from '../errors/app-error';

export const MAX_PAGE_SIZE = 100;
/** A UUID, or a sequence number for lists ordered by one. */
const KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9][0-9]{0,17})$/i;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A position in a list ordered by (createdAt, id): ties on time never skip or repeat a row. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/** Opaque to clients; tagged with the list it belongs to so that cursors are not mixed up. */
export function encodeCursor(list: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([list, position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(list: string, cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 3 && decoded[0] === list) {
      const [, time, id] = decoded;
      const createdAt = new Date(String(time));
      if (typeof time === 'string' && !Number.isNaN(createdAt.getTime()) && typeof id === 'string' && KEY.test(id)) {
        return { createdAt, id };
      }
    }
  } catch {
    // falls through to the error below
  }
  throw AppError.validation('cursor is not valid for this list', [{ field: 'cursor', messages: ['invalid cursor'] }]);
}

/** Takes limit+1 rows: the extra row only tells whether there is a next page. */
export function toPage<T>(
  list: string,
  rows: T[],
  limit: number,
  position: (row: T) => KeysetPosition = (row) => row as KeysetPosition,
) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(list, position(last)) : null };
}
