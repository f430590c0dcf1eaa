import { useSignal, type Signal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { api, call, type Article } from '../api/client';
import { announcement } from '../decisions';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, type FieldErrors } from '../forms';
import { fromLocalInput, ModerationModeChoice, toLocalInput } from './article-fields';

/** The values of the moderation form, as typed. */
export interface Draft {
  moderationMode: Article['moderationMode'];
  showDisclaimer: boolean;
  disclaimerText: string;
  /** A datetime-local value, in the moderator's time zone; empty: no scheduled close. */
  closeAt: string;
}

export const draftOf = (a: Article): Draft => ({
  moderationMode: a.moderationMode,
  showDisclaimer: a.disclaimer.show,
  disclaimerText: a.disclaimer.text,
  closeAt: toLocalInput(a.closeAt),
});

const FORM_FIELDS = ['moderationMode', 'closeAt', 'disclaimer.show', 'disclaimer.text', 'disclaimer'];
/** The article's fields in the API's messages: "Disclaimer text must not be empty". */
export const ARTICLE_FIELDS = {
  moderationMode: { label: 'When comments appear' },
  closeAt: { label: 'Scheduled close' },
  disclaimer: { label: 'Disclaimer' },
  'disclaimer.show': { label: 'Show the disclaimer' },
  'disclaimer.text': { label: 'Disclaimer text' },
  message: { label: 'Message' },
};

/** Pre- or post-moderation, the disclaimer and the scheduled close: the changed ones saved together. */
export function ModerationForm(props: {
  article: Article;
  draft: Signal<Draft>;
  dirty: boolean;
  onChange: (a: Article) => void;
}) {
  const { article, draft } = props;
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    const d = draft.value;
    const saved = draftOf(article);
    const body: {
      moderationMode?: Draft['moderationMode'];
      closeAt?: string | null;
      disclaimer?: { show?: boolean; text?: string };
    } = {};
    if (d.moderationMode !== saved.moderationMode) body.moderationMode = d.moderationMode;
    if (d.closeAt !== saved.closeAt) body.closeAt = fromLocalInput(d.closeAt);
    // The disclaimer is sent as shown in the preview, so readers read exactly that.
    if (d.showDisclaimer !== saved.showDisclaimer || d.disclaimerText !== saved.disclaimerText)
      body.disclaimer = { show: d.showDisclaimer, text: d.disclaimerText.trim() };
    errors.value = {};
    problem.value = null;
    if (Object.keys(body).length === 0) {
      announcement.value = { text: 'Nothing has changed.' };
      return;
    }
    busy.value = true;
    try {
      const next = await call(() => api.PATCH('/api/articles/{id}', { params: { path: { id: article.id } }, body }));
      props.onChange(next);
      draft.value = draftOf(next);
      announcement.value = { text: 'Saved.' };
    } catch (error) {
      errors.value = fieldErrors(error);
      const refusal = new Fields('article', errors.value, ARTICLE_FIELDS).refusal(error, FORM_FIELDS, 'Not saved');
      if (refusal) problem.value = refusal;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const f = new Fields('article', errors.value, ARTICLE_FIELDS);
  const d = draft.value;
  return (
    <form ref={form} class="panel stack" aria-labelledby="article-moderation" onSubmit={submit} noValidate>
      <h2 id="article-moderation">Moderation</h2>
      <ModerationModeChoice
        name="moderation-mode"
        value={d.moderationMode}
        onChange={(moderationMode) => set({ moderationMode })}
        message={f.message('moderationMode')}
      />
      <fieldset>
        <legend>Unmoderated disclaimer</legend>
        <div class="stack">
          <label class="inline">
            <input
              type="checkbox"
              checked={d.showDisclaimer}
              onChange={(e) => set({ showDisclaimer: e.currentTarget.checked })}
              {...f.control('disclaimer.show')}
            />
            Show the disclaimer above the comments
          </label>
          {f.message('disclaimer.show')}
          <label for="disclaimer-text">Disclaimer text</label>
          <textarea
            id="disclaimer-text"
            rows={2}
            maxLength={1000}
            value={d.disclaimerText}
            onInput={(e) => set({ disclaimerText: e.currentTarget.value })}
            {...f.control('disclaimer.text')}
          />
          {f.message('disclaimer.text')}
        </div>
      </fieldset>
      <fieldset>
        <legend>Scheduled close</legend>
        <div class="stack">
          <label for="close-at">Close by itself at (your time)</label>
          <div class="actions">
            <input
              id="close-at"
              type="datetime-local"
              value={d.closeAt}
              onInput={(e) => set({ closeAt: e.currentTarget.value })}
              {...f.control('closeAt', 'close-at-hint')}
            />
            <button type="button" class="quiet" disabled={!d.closeAt} onClick={() => set({ closeAt: '' })}>
              Clear the schedule
            </button>
          </div>
          <p id="close-at-hint" class="muted hint">
            {d.closeAt ? 'Empty it to keep the article open.' : 'Empty: no scheduled close.'}
          </p>
          {f.message('closeAt')}
        </div>
      </fieldset>
      <FormFooter
        problem={problem.value}
        busy={busy.value}
        save="Save changes"
        onUndo={props.dirty ? () => ((draft.value = draftOf(article)), (errors.value = {})) : undefined}
      />
    </form>
  );
}
