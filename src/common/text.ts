import { registerDecorator, ValidationOptions } from 'class-validator';

/** Text PostgreSQL can store and JSON can carry: no NUL characters, no lone surrogates. */
export function isStorableText(value: unknown): boolean {
  return typeof value === 'string' && !value.includes('\u0000') && value.isWellFormed();
}

export function IsStorableText(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isStorableText',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be text without NUL characters or lone surrogates`, ...options },
      validator: { validate: (value: unknown) => isStorableText(value) },
    });
}

/** Text matched literally inside a LIKE pattern (backslash is LIKE's default escape). */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
