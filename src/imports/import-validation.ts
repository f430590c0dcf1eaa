import { ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CloseArticleDto, CreateArticleDto } from '../articles/dto/article.dto';
import { CreateCommentDto, UpdateCommentDto } from '../comments/dto/comment.dto';
import { CreateReportDto } from '../reports/dto/create-report.dto';
import { UpdateSettingsDto } from '../settings/dto/update-settings.dto';
import { CreateUserNoteDto } from '../users/dto/user-moderation.dto';

/**
 * Imported values meet the rules of the API's own requests: the DTO classes the routes validate,
 * applied to what a file brings, so that an import stores nothing the API would have refused.
 */

type Dto = new () => object;

/** `field: what is wrong`, as the API's 400s say it; [] when `values` (the DTO's property names) are valid. */
export function dtoProblems(dto: Dto, values: Record<string, unknown>, only?: string[]): string[] {
  const errors = validateSync(plainToInstance(dto, values), { stopAtFirstError: true, forbidUnknownValues: false });
  return flatten(only ? errors.filter((e) => only.includes(e.property)) : errors);
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [`${field}: ${Object.values(e.constraints).join(', ')}`] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** An article's URL as the create route takes it (absolute http or https), or null. */
export function validArticleUrl(url: string): string | null {
  return dtoProblems(CreateArticleDto, { url }, ['url']).length === 0 ? url : null;
}

/** What is wrong with an article's title, or a comment's body, by the API's rules. */
export const titleProblems = (title: string) => dtoProblems(CreateArticleDto, { title }, ['title']);
export const bodyProblems = (body: string) => dtoProblems(CreateCommentDto, { body });

/**
 * The DTOs that check each table's rows of our own export. A row's columns become the DTO's
 * properties by name (`external_id` is `externalId`); a null is a value left out.
 */
const ROW_DTOS: Record<string, Dto[]> = {
  article: [CreateArticleDto, CloseArticleDto],
  comment: [CreateCommentDto],
  revision: [UpdateCommentDto],
  report: [CreateReportDto],
  settings: [UpdateSettingsDto],
  note: [CreateUserNoteDto],
};

/** What the API's rules say is wrong with a row of our own export ([] when nothing is). */
export function rowProblems(type: string, row: Record<string, unknown>): string[] {
  const dtos = ROW_DTOS[type];
  if (!dtos) return [];
  const values: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value !== null) values[column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  // The closing message is the column `closed_message`: CloseArticleDto calls it `message`.
  if (type === 'article' && row.closed_message !== null) values.message = row.closed_message;
  return dtos.flatMap((dto) => dtoProblems(dto, values));
}
