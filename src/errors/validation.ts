import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldError } from './app-error';

/**
 * One message per field, the one that says what to fix first: "is required" for a field left
 * out, else the first failing check as the DTO declares it (its type before its bounds: a text
 * for a number is "must be an integer number", not "must not be greater than 1000").
 */
function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const messages = Object.values(e.constraints ?? {});
    // Decorators run bottom up: the last message is the check declared first.
    if (messages.length === 0) return flatten(e.children ?? [], field);
    const first =
      e.value === undefined && !e.constraints?.whitelistValidation ? `${field} is required` : messages.at(-1)!;
    return [{ field, messages: [first] }, ...flatten(e.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return AppError.validation(
        fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ') || 'Invalid request',
        fields,
      );
    },
  });
}
