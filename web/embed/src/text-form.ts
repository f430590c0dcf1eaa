import { h, nextId } from './dom';
import type { Strings } from './i18n';

export interface TextForm {
  form: HTMLFormElement;
  text: HTMLTextAreaElement;
  error: HTMLElement;
  submit: HTMLButtonElement;
}

export interface TextFormOptions {
  label: string;
  submit: string;
  initial?: string;
  send: (body: string, idempotencyKey: string) => Promise<void>;
  /** Leaves an inline form (reply, edit): a Cancel button, and Escape. */
  cancel?: () => void;
  /** What to tell the reader when sending failed. */
  errorText: (error: unknown) => string;
  /** After a send: whether the submit button stays disabled (the composer of a thread that closed). */
  locked?: () => boolean;
}

function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function showError(parts: { text: HTMLTextAreaElement; error: HTMLElement }, message: string): void {
  parts.error.textContent = message;
  if (message) parts.text.setAttribute('aria-invalid', 'true');
  else parts.text.removeAttribute('aria-invalid');
}

export function clearForm(parts: TextForm): void {
  parts.text.value = '';
  parts.error.textContent = '';
  parts.text.removeAttribute('aria-invalid');
}

/** A labelled textarea with its submit button and an error line; the text stays until it is sent. */
export function textForm(t: Strings, options: TextFormOptions): TextForm {
  const { send, cancel } = options;
  const id = nextId('cd-f');
  const text = h('textarea', {
    id,
    name: 'body',
    'aria-describedby': `${id}-e`,
    // Escape leaves an inline form (reply, edit) as its Cancel button does.
    onkeydown: (event: Event) => {
      if ((event as KeyboardEvent).key === 'Escape' && cancel) cancel();
    },
  });
  text.value = options.initial ?? '';
  const error = h('p', { id: `${id}-e`, class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', part: 'button primary', text: options.submit });
  let sent: { body: string; key: string } | undefined;
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const body = text.value.trim();
        if (!body) return showError(parts, t.errors.empty);
        // The same text retried keeps its Idempotency-Key: a lost answer never posts twice.
        if (!sent || sent.body !== body) sent = { body, key: randomKey() };
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
        if (submit.getAttribute('aria-disabled')) return;
        submit.setAttribute('aria-disabled', 'true');
        try {
          await send(body, sent.key);
          sent = undefined;
        } catch (err) {
          showError(parts, options.errorText(err));
        } finally {
          if (!options.locked?.()) submit.removeAttribute('aria-disabled');
        }
      },
    },
    h('label', { for: id, text: options.label }),
    text,
    error,
    h('div', { class: 'row' }, submit, cancel && h('button', { type: 'button', text: t.cancel, onclick: cancel })),
  );
  const parts = { form, text, error, submit };
  return parts;
}
