import type { Signal } from '@preact/signals';
import { settings } from '../settings-store';

/**
 * The site's rejection reasons as radio buttons, "None" first: the label a rejected comment's
 * author is shown. Nothing at all when the settings have no list.
 */
export function ReasonPicker(props: { name: string; label: Signal<string>; legend?: string }) {
  const labels = settings.value?.rejectionReasons ?? [];
  if (labels.length === 0) return null;
  return (
    <fieldset class="reason-picker">
      <legend>{props.legend ?? 'Reason shown to the author'}</legend>
      {['', ...labels].map((value) => (
        <label class="inline">
          <input
            type="radio"
            name={props.name}
            value={value}
            checked={props.label.value === value}
            onChange={() => (props.label.value = value)}
          />
          {value || 'None'}
        </label>
      ))}
    </fieldset>
  );
}

/** Enter anywhere in the form but on a button confirms it, radio buttons included (browsers do not). */
export function enterSubmits(event: KeyboardEvent): void {
  const target = event.target as HTMLElement;
  if (event.key !== 'Enter' || event.isComposing || target.closest('button, textarea')) return;
  event.preventDefault();
  (event.currentTarget as HTMLFormElement).requestSubmit();
}
