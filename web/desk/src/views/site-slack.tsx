import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { getSlack, putSlack, removeSlack, type SlackSettings, type SlackTrigger } from '../api/deliveries';
import { announcement } from '../decisions';
import { when } from '../format';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';

const TRIGGERS: [SlackTrigger, string][] = [
  ['held', 'A comment is held for review'],
  ['reported', 'A comment is reported'],
  ['report_threshold', 'A comment reaches the report threshold'],
  ['staff_post', 'A moderator or admin posts a comment'],
];

const SLACK_FIELDS = { url: { label: 'Incoming-webhook URL' }, triggers: { label: 'Alerts' } };

/** The site's Slack alerts: the channel's URL (write-only: shown by its host and fingerprint) and what it hears of. */
export function SlackAlerts({ siteKey }: { siteKey: string }) {
  const stored = useSignal<SlackSettings | null>(null);
  const url = useSignal('');
  const triggers = useSignal<SlackTrigger[]>([]);
  const errors = useSignal<FieldErrors>({});
  const refusal = useSignal<string | null>(null);
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);

  const show = (settings: SlackSettings) => {
    stored.value = settings;
    triggers.value = settings.configured ? settings.triggers : ['held', 'report_threshold'];
    url.value = '';
  };
  useEffect(() => {
    getSlack(siteKey).then(show, (error) => (problem.value = problemText(error)));
  }, [siteKey]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    refusal.value = null;
    try {
      const typed = url.value.trim();
      show(await putSlack(siteKey, { ...(typed ? { url: typed } : {}), triggers: triggers.value }));
      announcement.value = { text: 'The Slack alerts are saved.' };
    } catch (error) {
      errors.value = fieldErrors(error);
      refusal.value =
        new Fields('slack', errors.value, SLACK_FIELDS).refusal(error, Object.keys(SLACK_FIELDS), 'Not saved') ?? null;
      if (Object.keys(errors.value).length === 0 && !refusal.value) refusal.value = `Not saved: ${problemText(error)}`;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const remove = async () => {
    try {
      await removeSlack(siteKey);
      show(await getSlack(siteKey));
      announcement.value = { text: 'Slack alerts are off: the URL is removed.' };
    } catch (error) {
      announcement.value = { text: `Not removed: ${problemText(error)}` };
    }
  };

  const toggle = (trigger: SlackTrigger, on: boolean) =>
    (triggers.value = on ? [...triggers.value, trigger] : triggers.value.filter((t) => t !== trigger));
  const s = stored.value;
  const f = new Fields('slack', errors.value, SLACK_FIELDS);
  return (
    <section class="panel" aria-labelledby="slack">
      <h2 id="slack">Slack alerts</h2>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {!s && !problem.value && <p class="loading">Loading…</p>}
      {s && (
        <form ref={form} class="stack" aria-labelledby="slack" onSubmit={save} noValidate>
          <p class="muted" id="slack-status">
            {s.configured ? (
              <>
                Sending to <code>{s.urlHint}</code> (fingerprint <code>{s.urlFingerprint}</code>)
                {s.updatedAt && <>, set {when(s.updatedAt)}</>}
                {s.updatedBy && <> by {s.updatedBy}</>}.
              </>
            ) : (
              'Not set up: no alerts are sent.'
            )}
          </p>
          <label for="slack-url">
            {s.configured ? 'New incoming-webhook URL (leave empty to keep the one set)' : 'Incoming-webhook URL'}
          </label>
          <input
            id="slack-url"
            type="url"
            inputMode="url"
            spellcheck={false}
            autoComplete="off"
            placeholder="https://hooks.slack.com/services/…"
            maxLength={2000}
            value={url.value}
            onInput={(e) => (url.value = e.currentTarget.value)}
            {...f.control('url', 'slack-status')}
          />
          {f.message('url')}
          <fieldset>
            <legend>Tell the channel when</legend>
            <div class="stack">
              {TRIGGERS.map(([trigger, label]) => (
                <label class="inline">
                  <input
                    type="checkbox"
                    checked={triggers.value.includes(trigger)}
                    onChange={(e) => toggle(trigger, e.currentTarget.checked)}
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          {f.message('triggers')}
          <FormFooter problem={refusal.value} busy={busy.value} save="Save Slack alerts" />
          {s.configured && (
            <div class="actions">
              <button type="button" class="quiet" onClick={remove}>
                Turn Slack alerts off
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
