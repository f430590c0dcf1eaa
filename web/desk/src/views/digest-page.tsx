import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { announcement } from '../decisions';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { usePageHeading } from '../page-heading';

type Digest = Schemas['DigestView'];
type Frequency = Digest['frequency'];

const FREQUENCIES: [Frequency, string][] = [
  ['off', 'Off'],
  ['hourly', 'Every hour'],
  ['daily', 'Every day'],
];
const NAMES = { address: { label: 'Email address' }, frequency: { label: 'How often' } };

/** The moderator's own digest: what waits in the queues of their sites, emailed hourly or daily, or not at all. */
export function DigestPage() {
  const heading = usePageHeading('Digest');
  const saved = useSignal<Digest | null>(null);
  const frequency = useSignal<Frequency>('off');
  const address = useSignal('');
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);

  const show = (digest: Digest) => {
    saved.value = digest;
    frequency.value = digest.frequency;
    address.value = digest.address ?? address.value;
  };
  useEffect(() => {
    call(() => api.GET('/api/moderation/digest')).then(show, (error) => (problem.value = problemText(error)));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    try {
      const body =
        frequency.value === 'off'
          ? { frequency: frequency.value }
          : { frequency: frequency.value, address: address.value.trim() };
      const digest = await call(() => api.PUT('/api/moderation/digest', { body }));
      show(digest);
      announcement.value = {
        text:
          digest.frequency === 'off'
            ? 'Your digest is off.'
            : digest.confirmed
              ? 'Your digest is saved.'
              : `Saved. Confirm the address with the link just emailed to ${digest.address}.`,
      };
    } catch (error) {
      errors.value = fieldErrors(error);
      problem.value =
        new Fields('digest', errors.value, NAMES).refusal(error, ['address', 'frequency'], 'Not saved') ?? null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const d = saved.value;
  const f = new Fields('digest', errors.value, NAMES);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Digest
      </h1>
      {d && !d.available ? (
        <p class="panel">This installation sends no email, so there is no digest to choose.</p>
      ) : (
        <form ref={form} class="panel" aria-labelledby="digest-legend" onSubmit={submit} noValidate>
          <h2 id="digest-legend">A digest of what waits in your queues, by email</h2>
          <div class="stack">
            <p class="muted hint">
              How many comments are held, reported or not yet moderated on each of your sites, with links to their
              queues. Nothing is sent while nothing waits.
            </p>
            <fieldset {...f.control('frequency')}>
              <legend>How often</legend>
              {FREQUENCIES.map(([value, label]) => (
                <label class="inline">
                  <input
                    type="radio"
                    name="frequency"
                    value={value}
                    checked={frequency.value === value}
                    onChange={() => (frequency.value = value)}
                  />
                  {label}
                </label>
              ))}
            </fieldset>
            {f.message('frequency')}
            {frequency.value !== 'off' && (
              <>
                <label for="digest-address">Email address</label>
                <input
                  id="digest-address"
                  type="email"
                  autoComplete="email"
                  value={address.value}
                  onInput={(e) => (address.value = e.currentTarget.value)}
                  {...f.control('address', 'digest-address-state')}
                />
                <p id="digest-address-state" class="muted hint">
                  {d?.address && d.address.toLowerCase() === address.value.trim().toLowerCase()
                    ? d.confirmed
                      ? 'Confirmed.'
                      : 'Not confirmed yet: open the link emailed to it.'
                    : 'A new address is confirmed by a link emailed to it; nothing else is sent until then.'}
                </p>
                {f.message('address')}
              </>
            )}
          </div>
          <FormFooter problem={problem.value} busy={busy.value} save="Save digest" />
        </form>
      )}
    </>
  );
}
