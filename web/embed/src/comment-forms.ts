import { ApiError, type Comment, type ReportReason } from './api';
import type { CommentView } from './comment-view';
import { busy, h, nextId } from './dom';
import type { Strings } from './i18n';
import { textForm } from './text-form';

/** What the inline forms under a comment ask of the thread (each call throws the API's error). */
export interface CommentCalls {
  post(body: string, parentId: string | null, idempotencyKey: string): Promise<Comment>;
  edit(id: string, body: string): Promise<void>;
  remove(id: string): Promise<void>;
  report(id: string, reason: ReportReason, note?: string): Promise<void>;
  errorText(error: unknown): string;
  /** Moves the focus to a comment drawn in the thread. */
  focus(id: string): void;
}

function close(view: CommentView): void {
  view.slot.replaceChildren();
  view.art.focus();
}

function open(view: CommentView, form: HTMLFormElement, focus: HTMLElement): void {
  view.slot.replaceChildren(h('div', { class: 'sub' }, form));
  focus.focus();
}

export function openReply(t: Strings, view: CommentView, calls: CommentCalls): void {
  const form = textForm(t, {
    label: t.yourReply,
    submit: t.postReply,
    send: async (body, key) => {
      const reply = await calls.post(body, view.id, key);
      view.slot.replaceChildren();
      calls.focus(reply.id);
    },
    cancel: () => close(view),
    errorText: calls.errorText,
  });
  open(view, form.form, form.text);
}

export function openEdit(t: Strings, view: CommentView, body: string, calls: CommentCalls): void {
  const form = textForm(t, {
    label: t.editComment,
    submit: t.save,
    initial: body,
    send: async (text) => {
      await calls.edit(view.id, text);
      close(view);
    },
    cancel: () => close(view),
    errorText: calls.errorText,
  });
  open(view, form.form, form.text);
}

export function openDelete(t: Strings, view: CommentView, calls: CommentCalls): void {
  const error = h('p', { class: 'error', role: 'alert' });
  const confirm = h('button', {
    type: 'button',
    class: 'danger',
    text: t.del,
    onclick: () =>
      busy(confirm, async () => {
        try {
          await calls.remove(view.id);
        } catch (err) {
          error.textContent = calls.errorText(err);
        }
      }),
  });
  view.slot.replaceChildren(
    h(
      'div',
      { class: 'sub', role: 'group', 'aria-label': t.confirmDelete },
      h('p', { text: t.confirmDelete }),
      h('div', { class: 'row' }, confirm, h('button', { type: 'button', text: t.cancel, onclick: () => close(view) })),
      error,
    ),
  );
  confirm.focus();
}

export function openReport(t: Strings, view: CommentView, calls: CommentCalls): void {
  const id = nextId('cd-r');
  // Nothing is preselected: a reason is the reader's to choose, never a default that goes unread.
  const reasons = (Object.keys(t.reasons) as ReportReason[]).map((reason) =>
    h(
      'label',
      { class: 'radio' },
      h('input', { type: 'radio', name: id, value: reason, required: true }),
      t.reasons[reason],
    ),
  );
  const note = h('textarea', { id: `${id}-n`, maxlength: 1000 });
  const reasonError = h('p', { id: `${id}-e`, class: 'error', role: 'alert' });
  const fieldset = h(
    'fieldset',
    { 'aria-describedby': `${id}-e` },
    h('legend', { text: t.reason }),
    ...reasons,
    reasonError,
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'primary', part: 'button primary', text: t.sendReport });
  const done = (text: string) => {
    const said = h('p', { class: 'status', tabindex: -1, text });
    view.slot.replaceChildren(said);
    said.focus();
  };
  const form = h(
    'form',
    {
      'aria-label': t.reportComment,
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const checked = form.querySelector('input:checked') as HTMLInputElement | null;
        if (!checked) {
          reasonError.textContent = t.errors.noReason;
          return reasons[0].querySelector('input')!.focus();
        }
        reasonError.textContent = '';
        await busy(send, async () => {
          try {
            await calls.report(view.id, checked.value as ReportReason, note.value.trim() || undefined);
            done(t.reported);
          } catch (err) {
            if (err instanceof ApiError && err.code === 'CONFLICT') return done(t.alreadyReported);
            error.textContent = calls.errorText(err);
          }
        });
      },
    },
    fieldset,
    h('label', { for: `${id}-n`, text: t.note }),
    note,
    error,
    h('div', { class: 'row' }, send, h('button', { type: 'button', text: t.cancel, onclick: () => close(view) })),
  );
  open(view, form, reasons[0].querySelector('input')!);
}
