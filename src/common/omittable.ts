import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as null: unlike @IsOptional, a null still meets the
 * other validators (and fails them), so it never reaches a NOT NULL column.
 */
export const IsOmittable = () => ValidateIf((_, value) => value !== undefined);
