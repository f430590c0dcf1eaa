import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

export interface Named {
  id: string;
  label: string;
}

/**
 * A type-ahead: what is typed asks `find` for matches (after a pause), and choosing one makes its
 * id the value. Text typed and not chosen stays the value as it is (an id pasted in still works,
 * and the API says what is wrong with it). A combobox with a listbox, as ARIA describes them.
 */
export function NamePicker(props: {
  id: string;
  value: string;
  /** The chosen value's name, when known. */
  label: string | null;
  find: (text: string) => Promise<Named[]>;
  onChange: (value: string, label: string | null) => void;
  control?: Record<string, string | undefined>;
}) {
  const text = useSignal(props.label ?? props.value);
  const options = useSignal<Named[]>([]);
  const active = useSignal(-1);
  const open = options.value.length > 0;
  const asked = useRef(0);

  useEffect(() => {
    text.value = props.label ?? props.value;
  }, [props.value, props.label]);

  const ask = (typed: string) => {
    const n = ++asked.current;
    if (typed.trim().length < 2) {
      options.value = [];
      return;
    }
    setTimeout(async () => {
      if (n !== asked.current) return;
      try {
        const found = await props.find(typed.trim());
        if (n === asked.current) ((options.value = found), (active.value = -1));
      } catch {
        if (n === asked.current) options.value = [];
      }
    }, 200);
  };

  const choose = (option: Named) => {
    asked.current++;
    options.value = [];
    text.value = option.label;
    props.onChange(option.id, option.label);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active.value = (active.value + step + options.value.length) % options.value.length;
    } else if (event.key === 'Enter' && active.value >= 0) {
      event.preventDefault();
      choose(options.value[active.value]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      asked.current++;
      options.value = [];
    }
  };

  const list = `${props.id}-options`;
  return (
    <div class="picker">
      <input
        id={props.id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={list}
        aria-activedescendant={open && active.value >= 0 ? `${list}-${active.value}` : undefined}
        value={text.value}
        spellcheck={false}
        autoComplete="off"
        onInput={(e) => {
          text.value = e.currentTarget.value;
          props.onChange(e.currentTarget.value, null);
          ask(e.currentTarget.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => (asked.current++, (options.value = [])), 150)}
        {...props.control}
      />
      <ul id={list} role="listbox" hidden={!open} class="picker-options">
        {options.value.map((option, i) => (
          <li
            id={`${list}-${i}`}
            role="option"
            aria-selected={i === active.value}
            onMouseDown={(e) => (e.preventDefault(), choose(option))}
          >
            <bdi>{option.label}</bdi>
          </li>
        ))}
      </ul>
    </div>
  );
}
