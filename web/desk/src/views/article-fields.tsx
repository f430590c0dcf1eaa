import type { ComponentChildren } from 'preact';
import type { Article } from '../api/client';

type Mode = Article['moderationMode'];

/** The choice of when an article's comments appear, as the article's form and the new-article form ask it. */
export function ModerationModeChoice(props: {
  name: string;
  value: Mode;
  onChange: (mode: Mode) => void;
  message: ComponentChildren;
}) {
  return (
    <fieldset>
      <legend>When comments appear</legend>
      <label class="inline">
        <input
          type="radio"
          name={props.name}
          checked={props.value === 'post'}
          onChange={() => props.onChange('post')}
        />
        Post-moderation: at once, reviewed after
      </label>
      <label class="inline">
        <input type="radio" name={props.name} checked={props.value === 'pre'} onChange={() => props.onChange('pre')} />
        Pre-moderation: after a moderator approves them
      </label>
      {props.message}
    </fieldset>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local value in this browser's time zone (to the minute). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an instant; what cannot be read goes as typed, for the API to refuse. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
