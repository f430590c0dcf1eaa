/** Plain DOM helpers: every piece of text readers wrote goes in through textContent, never as markup. */

export type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

let uid = 0;

/** An id for a label or a description to point at, unique on the page. */
export const nextId = (prefix: string): string => `${prefix}-${++uid}`;

/** Runs `work` once at a time for a button; aria-disabled meanwhile, as `disabled` would drop the focus. */
export async function busy(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  if (button.getAttribute('aria-disabled')) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    await work();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/**
 * A property the page set on the element before the element was defined: that own property hides
 * the class's accessor, so it is removed and its value set again through the accessor.
 */
export function upgradeProperty<T extends object>(element: T, name: keyof T & string): void {
  if (!Object.prototype.hasOwnProperty.call(element, name)) return;
  const value = element[name];
  delete element[name];
  element[name] = value;
}
