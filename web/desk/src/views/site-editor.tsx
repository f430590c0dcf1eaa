import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { getSite, updateSite, type SiteView } from '../api/sites';
import { announcement } from '../decisions';
import { when } from '../format';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, type FieldErrors } from '../forms';
import { loadMySites } from '../my-sites';
import { href } from '../router';
import { draftOf, identityChanged, identityOf, type Draft } from './site-draft';
import { IdentityFields } from './site-identity-fields';
import { lines, OriginsField, SITE_FIELDS, unavailable } from './site-fields';
import { Members } from './site-members';
import { SlackAlerts } from './site-slack';
import type { Heading } from './sites-page';

/** One site's page: its name, origins and login in one form, then its members and its Slack alerts. */
export function SiteEditor({ siteKey, heading }: { siteKey: string; heading: Heading }) {
  const site = useSignal<SiteView | null>(null);
  const draft = useSignal<Draft | null>(null);
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    getSite(siteKey).then(
      (found) => {
        site.value = found;
        draft.value = draftOf(found);
      },
      (error) => (problem.value = unavailable(error)),
    );
  }, [siteKey]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const d = draft.value;
    const was = site.value;
    if (busy.value || !d || !was) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    const identity = identityOf(d, was);
    try {
      const saved = await updateSite(siteKey, {
        name: d.name.trim(),
        origins: lines(d.origins),
        ...(identityChanged(d, was) ? { identity } : {}),
      });
      site.value = saved;
      draft.value = draftOf(saved);
      announcement.value = { text: `The site “${saved.name}” is saved.` };
      void loadMySites().catch(() => {});
    } catch (error) {
      errors.value = fieldErrors(error);
      problem.value =
        new Fields('site', errors.value, SITE_FIELDS).refusal(error, Object.keys(SITE_FIELDS), 'Not saved') ?? null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const s = site.value;
  const d = draft.value;
  const f = new Fields('site', errors.value, SITE_FIELDS);
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value!, ...change });
  return (
    <>
      <p class="muted">
        <a href={href('sites')}>Sites</a> ›
      </p>
      <h1 tabIndex={-1} ref={heading}>
        <bdi>{s?.name ?? siteKey}</bdi>
      </h1>
      {!s && problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {!s && !problem.value && <p class="loading">Loading…</p>}
      {s && d && (
        <>
          <p class="actions">
            <span class="muted">
              Key <code>{s.key}</code>, since {when(s.createdAt)}.
            </span>
            <a href={href('settings', [], { site: s.key })}>Its moderation settings</a>
          </p>
          <form ref={form} class="panel stack" aria-labelledby="site-form" onSubmit={submit} noValidate>
            <h2 id="site-form">Name and origins</h2>
            <label for="site-name">Name</label>
            <input
              id="site-name"
              required
              maxLength={100}
              value={d.name}
              onInput={(e) => set({ name: e.currentTarget.value })}
              {...f.control('name')}
            />
            {f.message('name')}
            <OriginsField form="site" value={d.origins} onInput={(origins) => set({ origins })} f={f} />
            {s.environmentOrigins.length > 0 && (
              <p class="muted">
                Also, from the service’s environment (CORS_ORIGINS): {s.environmentOrigins.join(', ')}.
              </p>
            )}
            <IdentityFields site={s} draft={d} set={set} f={f} />
            <FormFooter
              problem={problem.value}
              busy={busy.value}
              save="Save site"
              onUndo={JSON.stringify(d) !== JSON.stringify(draftOf(s)) ? () => (draft.value = draftOf(s)) : undefined}
            />
          </form>
          <Members siteKey={s.key} />
          <SlackAlerts siteKey={s.key} />
        </>
      )}
    </>
  );
}
