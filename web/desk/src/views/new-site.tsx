import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { createSite } from '../api/sites';
import { announcement } from '../decisions';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, type FieldErrors } from '../forms';
import { loadMySites } from '../my-sites';
import { go, href } from '../router';
import { lines, OriginsField, SITE_FIELDS } from './site-fields';

/** The "New site" button, and the form it opens: the new site's key, name and origins. */
export function NewSite() {
  const open = useSignal(false);
  const draft = useSignal({ key: '', name: '', origins: '' });
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  if (!open.value)
    return (
      <p class="actions">
        <button type="button" aria-expanded="false" onClick={() => (open.value = true)}>
          New site
        </button>
      </p>
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    const d = draft.value;
    try {
      const site = await createSite({ key: d.key.trim(), name: d.name.trim(), origins: lines(d.origins) });
      announcement.value = { text: `The site “${site.name}” is created.` };
      void loadMySites().catch(() => {});
      go(href('sites', [site.key]));
    } catch (error) {
      errors.value = fieldErrors(error);
      problem.value =
        new Fields('new-site', errors.value, SITE_FIELDS).refusal(error, ['key', 'name', 'origins'], 'Not created') ??
        null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };
  const f = new Fields('new-site', errors.value, SITE_FIELDS);
  const set = (change: Partial<typeof draft.value>) => (draft.value = { ...draft.value, ...change });
  return (
    <form ref={form} class="panel stack" aria-labelledby="new-site" onSubmit={submit} noValidate>
      <h2 id="new-site">New site</h2>
      <label for="new-site-key">Key</label>
      <input
        id="new-site-key"
        required
        autoFocus
        maxLength={40}
        autoComplete="off"
        spellcheck={false}
        value={draft.value.key}
        onInput={(e) => set({ key: e.currentTarget.value })}
        {...f.control('key', 'new-site-key-hint')}
      />
      <p id="new-site-key-hint" class="muted hint">
        Small letters, digits and dashes (“daily-news”): it names the site in the embed and never changes.
      </p>
      {f.message('key')}
      <label for="new-site-name">Name</label>
      <input
        id="new-site-name"
        required
        maxLength={100}
        value={draft.value.name}
        onInput={(e) => set({ name: e.currentTarget.value })}
        {...f.control('name')}
      />
      {f.message('name')}
      <OriginsField form="new-site" value={draft.value.origins} onInput={(origins) => set({ origins })} f={f} />
      <FormFooter
        problem={problem.value}
        busy={busy.value}
        save="Create site"
        onUndo={() => (open.value = false)}
        undo="Cancel"
      />
    </form>
  );
}
