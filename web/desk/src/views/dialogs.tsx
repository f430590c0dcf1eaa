import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { api, call, type BannedUser } from '../api/client';
import type { Why } from '../decisions';
import { problemText } from '../forms';
import { settings } from '../settings-store';
import { enterSubmits, ReasonPicker } from './reason-picker';
import { WaitingComments } from './waiting-comments';

const BAN_FIELDS = {
  until: { label: 'The end of the ban' },
  reason: { label: 'Reason' },
  rejectionReasonLabel: { label: 'Reason shown to the author' },
};

/** A modal <dialog>: the browser traps focus in it, Escape closes it, focus returns where it was. */
export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={ref} aria-label={props.title} onClose={props.onClose} data-modal>
      <h2>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

const DURATIONS: [string, number | null][] = [
  ['1 day', 1],
  ['7 days', 7],
  ['30 days', 30],
  ['Until unbanned', null],
];

/**
 * Bans a user: for how long and why (the reason goes to the log), and whether their comments still
 * waiting for a moderator are rejected with it, with the label their author is shown.
 */
export function BanDialog(props: { userId: string; name: string; onClose: (user?: BannedUser) => void }) {
  const days = useSignal<string>('7');
  const reason = useSignal('');
  const rejectWaiting = useSignal(false);
  const label = useSignal('');
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    busy.value = true;
    problem.value = null;
    const until = days.value === '' ? undefined : new Date(Date.now() + Number(days.value) * 86_400_000).toISOString();
    try {
      const user = await call(() =>
        api.POST('/api/moderation/users/{id}/ban', {
          params: { path: { id: props.userId } },
          body: {
            reason: reason.value,
            until,
            ...(rejectWaiting.value ? { rejectWaiting: true, rejectionReasonLabel: label.value || undefined } : {}),
          },
        }),
      );
      props.onClose(user);
    } catch (error) {
      problem.value = problemText(error, BAN_FIELDS);
      busy.value = false;
    }
  };
  return (
    <Modal title={`Ban ${props.name}`} onClose={() => props.onClose()}>
      <form method="dialog" class="stack" onSubmit={submit}>
        <fieldset>
          <legend>For how long</legend>
          {DURATIONS.map(([label, value]) => (
            <label class="inline">
              <input
                type="radio"
                name="ban-days"
                value={value ?? ''}
                checked={days.value === String(value ?? '')}
                onChange={() => (days.value = String(value ?? ''))}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <label for="ban-reason">Reason (kept in the log)</label>
        <input
          id="ban-reason"
          required
          maxLength={1000}
          value={reason.value}
          onInput={(e) => (reason.value = e.currentTarget.value)}
        />
        <WaitingComments userId={props.userId} name={props.name} reject={rejectWaiting} label={label} />
        {problem.value && <p class="error">{problem.value}</p>}
        <div class="actions">
          <button type="submit" class="reject" disabled={busy.value}>
            Ban
          </button>
          <button type="button" class="quiet" onClick={() => props.onClose()}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * Asks why comments are rejected: one of the site's reasons (its author sees it), or none, and a
 * note for the log. The list comes from the settings; without one, the note alone. It opens on the
 * reasons, so that `d` then Enter rejects without a label and Escape takes nothing.
 */
export function ReasonDialog(props: { title?: string; confirm?: string; onClose: (result: Why | null) => void }) {
  const label = useSignal('');
  const reason = useSignal('');
  const hasLabels = (settings.value?.rejectionReasons ?? []).length > 0;
  return (
    <Modal title={props.title ?? 'Reject with a reason'} onClose={() => props.onClose(null)}>
      <form
        method="dialog"
        class="stack"
        onKeyDown={enterSubmits}
        onSubmit={(e) => {
          e.preventDefault();
          props.onClose({ reasonLabel: label.value || undefined, reason: reason.value.trim() || undefined });
        }}
      >
        <ReasonPicker name="reject-label" label={label} />
        <label for="reject-reason">{hasLabels ? 'Note (kept in the log)' : 'Reason (kept in the log)'}</label>
        <input
          id="reject-reason"
          maxLength={1000}
          value={reason.value}
          onInput={(e) => (reason.value = e.currentTarget.value)}
        />
        <div class="actions">
          <button type="submit" class="reject">
            {props.confirm ?? 'Reject'}
          </button>
          <button type="button" class="quiet" onClick={() => props.onClose(null)}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export const KEYS: [string, string][] = [
  ['j / k', 'Next / previous comment'],
  ['f', 'Approve'],
  ['d', 'Reject: pick a reason, Enter rejects, Escape cancels'],
  ['b', 'Ban the author'],
  ['u', 'Undo your last decision'],
  ['x', 'Select the comment (shift-click a checkbox for a range)'],
  ['t', 'Next queue'],
  ['z', 'One comment at a time, or all'],
  ['?', 'This list'],
];

export function HelpDialog(props: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={props.onClose}>
      <dl class="keys">
        {KEYS.map(([key, what]) => (
          <>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </Modal>
  );
}
