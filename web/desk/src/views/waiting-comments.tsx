import { useSignal, type Signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, call, type BannedUser } from '../api/client';
import { count, number } from '../format';
import { problemText } from '../forms';
import { ReasonPicker } from './reason-picker';

/**
 * In the ban dialog: how many of the user's comments wait for a moderator (held for review or
 * reported), and the choice to reject them with the ban, with the label their author is shown.
 */
export function WaitingComments(props: {
  userId: string;
  name: string;
  reject: Signal<boolean>;
  label: Signal<string>;
}) {
  const waiting = useSignal<number | null>(null);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    call(() => api.GET('/api/moderation/users/{id}', { params: { path: { id: props.userId } } })).then(
      (user) => (waiting.value = user.waiting),
      (error) => (problem.value = problemText(error)),
    );
  }, [props.userId]);

  if (problem.value) return <p class="error">Could not count the waiting comments: {problem.value}</p>;
  if (waiting.value === null) return <p class="loading">Counting the comments waiting for a moderator…</p>;
  if (waiting.value === 0) return <p class="quiet-note">No comments by {props.name} are waiting for a moderator.</p>;
  return (
    <fieldset class="waiting-comments">
      <legend>
        {count(waiting.value, 'comment', 'comments')} by <bdi>{props.name}</bdi> waiting for a moderator (held or
        reported)
      </legend>
      <label class="inline">
        <input
          type="checkbox"
          checked={props.reject.value}
          onChange={(e) => (props.reject.value = e.currentTarget.checked)}
        />
        Also reject {waiting.value === 1 ? 'it' : `them (${number(waiting.value)})`}
      </label>
      {props.reject.value && <ReasonPicker name="ban-reject-label" label={props.label} />}
    </fieldset>
  );
}

/** What the console says after a ban: the ban, and what became of the waiting comments. */
export function bannedText(user: BannedUser): string {
  const name = user.name ?? user.id;
  const { rejected, skipped } = user.waitingRejections;
  const parts = [`Banned ${name}.`];
  if (rejected > 0) parts.push(`Rejected ${count(rejected, 'waiting comment', 'waiting comments')}.`);
  if (skipped > 0)
    parts.push(
      `${count(skipped, 'comment was', 'comments were')} decided meanwhile by someone else and left as they were.`,
    );
  return parts.join(' ');
}
