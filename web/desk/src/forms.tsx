import { ApiError } from './api/client';
import { fieldMessage, type FieldName } from './field-names';

/** The API's VALIDATION_FAILED errors, by field as it names them (`maxLinks`, `rateLimits.post.limit`). */
export type FieldErrors = Record<string, string[]>;

export function fieldErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (error instanceof ApiError) for (const e of error.problem.errors ?? []) (out[e.field] ??= []).push(...e.messages);
  return out;
}

/** What went wrong, in words: the API's field errors with the fields' names, else its problem's detail. */
export function problemText(error: unknown, names: Record<string, FieldName> = {}): string {
  if (!(error instanceof ApiError)) return String(error);
  const errors = error.problem.errors ?? [];
  if (errors.length === 0) return error.message;
  return errors.flatMap((e) => e.messages.map((m) => fieldMessage(e.field, m, names))).join('; ');
}

/**
 * Ties each control of one form to its errors: aria-invalid, and aria-describedby pointing at
 * the message shown next to it (`form` keeps the ids of two forms on a page apart).
 */
export class Fields {
  constructor(
    private readonly form: string,
    private readonly errors: FieldErrors,
    /** The fields' names in words, for the API's messages (which name them as the API does). */
    private readonly names: Record<string, FieldName> = {},
  ) {}

  private said(field: string): string[] {
    return (this.errors[field] ?? []).map((m) => fieldMessage(field, m, this.names));
  }

  private id(field: string): string {
    return `${this.form}-${field.replace(/[^A-Za-z0-9]/g, '-')}-error`;
  }

  /** The attributes for the control of `field`; `hint` is the id of a description it always has. */
  control(field: string, hint?: string) {
    const bad = this.errors[field] !== undefined;
    const describedBy = [hint, bad ? this.id(field) : undefined].filter(Boolean).join(' ');
    return { 'aria-invalid': bad ? ('true' as const) : undefined, 'aria-describedby': describedBy || undefined };
  }

  message(field: string) {
    const messages = this.errors[field];
    if (!messages) return null;
    return (
      <p id={this.id(field)} class="error field-error">
        {this.said(field).join('; ')}
      </p>
    );
  }

  /** Errors about fields this form does not show, said at its top. */
  others(shown: readonly string[]): string[] {
    return Object.keys(this.errors)
      .filter((field) => !shown.includes(field))
      .flatMap((field) => this.said(field));
  }

  /**
   * What the top of a form says of a refusal (`outcome`: "Not saved"): the errors of fields it
   * does not show, or the problem itself when no field was named; undefined when the fields
   * shown carry every error.
   */
  refusal(error: unknown, shown: readonly string[], outcome: string): string | undefined {
    const others = this.others(shown);
    if (others.length > 0) return `${outcome}: ${others.join('; ')}`;
    if (Object.keys(this.errors).length === 0) return `${outcome}: ${problemText(error)}`;
    return undefined;
  }
}

/** After a refusal, the keyboard goes to the first field the API complained about. */
export function focusFirstInvalid(form: HTMLElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** The end of an edit form: what the API refused, Save, and (while something changed) Undo my changes. */
export function FormFooter(props: {
  problem: string | null;
  busy: boolean;
  save: string;
  onUndo?: () => void;
  /** The Undo button's words ("Undo my changes"). */
  undo?: string;
}) {
  return (
    <>
      {props.problem && (
        <p class="error" role="alert">
          {props.problem}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" aria-disabled={props.busy ? 'true' : undefined}>
          {props.busy ? 'Saving…' : props.save}
        </button>
        {props.onUndo && (
          <button type="button" class="quiet" onClick={props.onUndo}>
            {props.undo ?? 'Undo my changes'}
          </button>
        )}
      </div>
    </>
  );
}
