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

/** Embeddings, overrides and isolates (the marks LRM, RLM and ALM stay: they reorder nothing). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** A name as shown beside other text: nothing in it can reorder what follows it. */
export const withoutBidiControls = (text: string): string => text.replace(BIDI_CONTROLS, '');

/** Text placed in HTML (pages and emails of the service): every character that could end it escaped. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
