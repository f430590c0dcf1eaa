import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, api, call, type Settings } from '../api/client';
import { announcement } from '../decisions';
import { number, when } from '../format';
import { SETTING_FIELDS } from '../field-names';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';
import { claims } from '../session';
import { loadSettings, settings } from '../settings-store';
import { isAdminHere, mySites, oneSite, roleHere, siteName } from '../site-choice';
import {
  ALL_NUMBERS,
  changes,
  CREATIONS_PER_HOUR,
  draftOf,
  LIMITS,
  lines,
  LISTS,
  NUMBERS,
  TRAILING_SLASH,
  type Draft,
  type LimitName,
  type ListName,
  type NumberName,
} from './settings-draft';

/** `#/settings`: the moderation settings, for admins (the API refuses anyone else's changes). */
export function SettingsPage() {
  const heading = usePageHeading('Settings');
  const isAdmin = isAdminHere();
  const site = oneSite.value;
  const fresh = useSignal(false);
  const ready = () => (fresh.value = true);
  // The form starts from the settings as they are now, not as they were when the console opened.
  useEffect(() => {
    fresh.value = false;
    if (isAdmin) void loadSettings().then(ready, ready); // on failure, the settings the console has
  }, [isAdmin, site]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Settings
      </h1>
      {(mySites.value?.length ?? 0) > 1 && (
        <p class="muted">
          Of the site <strong>{siteName(site)}</strong>: each site has its own.
        </p>
      )}
      {!isAdmin ? (
        <AdminsOnly />
      ) : fresh.value && settings.value ? (
        <SettingsForm key={site} initial={settings.value} />
      ) : (
        <p class="loading">Loading…</p>
      )}
    </>
  );
}

function AdminsOnly() {
  return (
    <p class="panel" role="alert">
      Only administrators can change the settings. You are signed in as{' '}
      <strong>
        <bdi>{claims.value?.name ?? claims.value?.sub}</bdi>
      </strong>
      , a {roleHere() ?? claims.value?.role ?? 'moderator'}: ask an administrator for a change.
    </p>
  );
}

function SettingsForm({ initial }: { initial: Settings }) {
  /** The settings the draft was made from: what differs from them is what this admin changed. */
  const base = useSignal(initial);
  const current = base.value;
  const draft = useSignal<Draft>(draftOf(initial));
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const refused = useSignal(false);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const d = draft.value;
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });
  const setLimit = (name: LimitName, part: 'limit' | 'perSeconds', value: string) =>
    set({ rateLimits: { ...d.rateLimits, [name]: { ...d.rateLimits[name], [part]: value } } });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    const patch = changes(draft.value, current);
    errors.value = {};
    problem.value = null;
    if (Object.keys(patch).length === 0) {
      draft.value = draftOf(current); // tidies the lists as they would be saved
      announcement.value = { text: 'Nothing has changed.' };
      return;
    }
    busy.value = true;
    try {
      const saved = await call(() => api.PUT('/api/moderation/settings', { body: patch }));
      settings.value = saved; // the queues' highlights and the articles' defaults follow
      base.value = saved;
      draft.value = draftOf(saved);
      announcement.value = { text: 'Settings saved.' };
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) refused.value = true;
      else {
        errors.value = fieldErrors(error);
        problem.value =
          new Fields('settings', errors.value, SETTING_FIELDS).refusal(error, shownFields, 'Not saved') ??
          'Not saved: see the fields marked below.';
        focusFirstInvalid(form.current);
      }
    } finally {
      busy.value = false;
    }
  };

  if (refused.value) return <AdminsOnly />;
  const f = new Fields('settings', errors.value, SETTING_FIELDS);
  const label = (name: keyof typeof SETTING_FIELDS) => SETTING_FIELDS[name].label;
  const listField = (name: ListName, hint: string) => {
    const count = lines(d[name]).length;
    return (
      <div class="field">
        <label for={`settings-${name}`}>{label(name)}</label>
        <textarea
          id={`settings-${name}`}
          rows={8}
          spellcheck={false}
          value={d[name]}
          onInput={(e) => set({ [name]: e.currentTarget.value })}
          {...f.control(name, `settings-${name}-hint`)}
        />
        <p id={`settings-${name}-hint`} class="muted hint">
          {hint} {number(count)} now.
        </p>
        {f.message(name)}
      </div>
    );
  };
  const numberField = (name: NumberName, label: string, hint: string | undefined) => (
    <div class="field">
      <label for={`settings-${name}`}>{label}</label>
      <input
        id={`settings-${name}`}
        type="number"
        inputMode="numeric"
        min={name === 'premodNewCommenters' || name === 'maxLinks' || name === 'editWindowSeconds' ? 0 : 1}
        max={name === 'replyDepth' ? 10 : undefined}
        step={1}
        value={d[name]}
        onInput={(e) => set({ [name]: e.currentTarget.value })}
        {...f.control(name, hint ? `settings-${name}-hint` : undefined)}
      />
      {hint && (
        <p id={`settings-${name}-hint`} class="muted hint">
          {hint}
        </p>
      )}
      {f.message(name)}
    </div>
  );
  const textField = (name: 'defaultDisclaimerText' | 'defaultClosedMessage') => (
    <div class="field">
      <label for={`settings-${name}`}>{label(name)}</label>
      <textarea
        id={`settings-${name}`}
        rows={2}
        value={d[name]}
        onInput={(e) => set({ [name]: e.currentTarget.value })}
        {...f.control(name)}
      />
      {f.message(name)}
    </div>
  );

  return (
    <form ref={form} class="settings stack" onSubmit={submit} noValidate aria-label="Moderation settings">
      <p class="muted">
        Version {current.version}, changed {when(current.updatedAt)}. Only the fields you change are saved.
      </p>
      <fieldset class="panel">
        <legend>Words</legend>
        <div class="two-columns">
          {listField('bannedWords', 'One a line: a comment with one is rejected.')}
          {listField('suspectWords', 'One a line: a comment with one waits for a moderator.')}
        </div>
      </fieldset>
      <fieldset class="panel">
        <legend>Rejections</legend>
        {listField(
          'rejectionReasons',
          'One short label a line, up to 60 characters: a moderator rejecting a comment may pick one, and its author sees it. Empty: a note for the log only.',
        )}
      </fieldset>
      <fieldset class="panel">
        <legend>Rules</legend>
        <div class="form-grid">{NUMBERS.map(([name, label, hint]) => numberField(name, label, hint))}</div>
      </fieldset>
      <fieldset class="panel">
        <legend>New articles</legend>
        <div class="stack">
          <div class="field">
            <label for="settings-defaultModerationMode">{label('defaultModerationMode')}</label>
            <select
              id="settings-defaultModerationMode"
              value={d.defaultModerationMode}
              onChange={(e) => set({ defaultModerationMode: e.currentTarget.value as Draft['defaultModerationMode'] })}
              {...f.control('defaultModerationMode')}
            >
              <option value="post">Post-moderation: comments appear at once</option>
              <option value="pre">Pre-moderation: comments wait for a moderator</option>
            </select>
            {f.message('defaultModerationMode')}
          </div>
          {textField('defaultDisclaimerText')}
          {textField('defaultClosedMessage')}
          {listField(
            'articleAutoCreatePrefixes',
            'One URL prefix a line, such as https://news.example/ (empty: only moderators create articles).',
          )}
          {listField(
            'articleUrlQueryParams',
            'One a line, such as p for addresses like ?p=123. Every other parameter (utm_source, fbclid…) is dropped from article addresses; empty: articles are told apart by their path alone.',
          )}
          <div class="field">
            <label for="settings-articleUrlTrailingSlash">{label('articleUrlTrailingSlash')}</label>
            <select
              id="settings-articleUrlTrailingSlash"
              value={d.articleUrlTrailingSlash}
              onChange={(e) =>
                set({ articleUrlTrailingSlash: e.currentTarget.value as Draft['articleUrlTrailingSlash'] })
              }
              {...f.control('articleUrlTrailingSlash')}
            >
              {TRAILING_SLASH.map(([value, label]) => (
                <option value={value}>{label}</option>
              ))}
            </select>
            {f.message('articleUrlTrailingSlash')}
          </div>
          {numberField(...CREATIONS_PER_HOUR)}
        </div>
      </fieldset>
      <fieldset class="panel">
        <legend>Rate limits</legend>
        <p class="muted hint" id="rate-limits-hint">
          Each allows its number of requests at once, then one more every “seconds ÷ number” seconds.
        </p>
        <table class="limits" aria-describedby="rate-limits-hint">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col" id="limit-col">
                Requests
              </th>
              <th scope="col" id="per-col">
                Per seconds
              </th>
            </tr>
          </thead>
          <tbody>
            {LIMITS.map(([name, label]) => (
              <tr>
                <th scope="row" id={`limit-${name}`}>
                  {label}
                </th>
                {(['limit', 'perSeconds'] as const).map((part) => {
                  const field = `rateLimits.${name}.${part}`;
                  return (
                    <td data-label={part === 'limit' ? 'Requests' : 'Per seconds'}>
                      <input
                        id={`settings-${name}-${part}`}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        step={1}
                        aria-label={SETTING_FIELDS[field].label}
                        value={d.rateLimits[name][part]}
                        onInput={(e) => setLimit(name, part, e.currentTarget.value)}
                        {...f.control(field)}
                      />
                      {f.message(field)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <FormFooter
        problem={problem.value}
        busy={busy.value}
        save="Save settings"
        onUndo={
          Object.keys(changes(d, current)).length > 0
            ? () => ((draft.value = draftOf(current)), (errors.value = {}), (problem.value = null))
            : undefined
        }
      />
    </form>
  );
}

const shownFields: string[] = [
  ...LISTS,
  ...ALL_NUMBERS.map(([n]) => n),
  'articleUrlTrailingSlash',
  'defaultModerationMode',
  'defaultDisclaimerText',
  'defaultClosedMessage',
  ...LIMITS.flatMap(([n]) => [`rateLimits.${n}.limit`, `rateLimits.${n}.perSeconds`]),
];
