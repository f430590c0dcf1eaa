import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { api, call, type Article } from '../api/client';
import { announcement } from '../decisions';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, type FieldErrors } from '../forms';
import { go, href } from '../router';
import { settings } from '../settings-store';
import { fromLocalInput, ModerationModeChoice } from './article-fields';

/** The fields of a new article in the API's messages: "Title must not be empty". */
const NEW_ARTICLE_FIELDS = {
  url: { label: 'URL' },
  title: { label: 'Title' },
  moderationMode: { label: 'When comments appear' },
  closeAt: { label: 'Close by itself at' },
};
const SHOWN = Object.keys(NEW_ARTICLE_FIELDS);

interface Draft {
  url: string;
  title: string;
  moderationMode: Article['moderationMode'];
  /** A datetime-local value; empty: no scheduled close. */
  closeAt: string;
}

/**
 * An article's thread made by hand, before any embed has asked for it (a page that is not
 * published yet, or one outside the addresses where embeds may create theirs). Once made, its
 * page opens.
 */
export function NewArticle() {
  const open = useSignal(false);
  if (!open.value)
    return (
      <p class="actions">
        <button type="button" aria-expanded="false" onClick={() => (open.value = true)}>
          New article
        </button>
      </p>
    );
  return <NewArticleForm onCancel={() => (open.value = false)} />;
}

function NewArticleForm(props: { onCancel: () => void }) {
  const draft = useSignal<Draft>({
    url: '',
    title: '',
    moderationMode: settings.value?.defaultModerationMode ?? 'post',
    closeAt: '',
  });
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    const d = draft.value;
    const closeAt = fromLocalInput(d.closeAt);
    busy.value = true;
    errors.value = {};
    problem.value = null;
    try {
      const article = await call(() =>
        api.POST('/api/articles', {
          body: {
            url: d.url.trim(),
            title: d.title.trim(),
            moderationMode: d.moderationMode,
            ...(closeAt ? { closeAt } : {}),
          },
        }),
      );
      announcement.value = { text: `The article “${article.title}” is created.` };
      go(href('articles', [article.id]));
    } catch (error) {
      errors.value = fieldErrors(error);
      const refusal = new Fields('new-article', errors.value, NEW_ARTICLE_FIELDS).refusal(error, SHOWN, 'Not created');
      if (refusal) problem.value = refusal;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const f = new Fields('new-article', errors.value, NEW_ARTICLE_FIELDS);
  const d = draft.value;
  return (
    <form ref={form} class="panel stack" aria-labelledby="new-article" onSubmit={submit} noValidate>
      <h2 id="new-article">New article</h2>
      <label for="new-article-url">URL</label>
      <input
        id="new-article-url"
        type="url"
        inputMode="url"
        maxLength={2048}
        required
        autoFocus
        placeholder="https://…"
        value={d.url}
        onInput={(e) => set({ url: e.currentTarget.value })}
        {...f.control('url', 'new-article-url-hint')}
      />
      <p id="new-article-url-hint" class="muted hint">
        The address of the article’s page, where the embed shows its comments.
      </p>
      {f.message('url')}
      <label for="new-article-title">Title</label>
      <input
        id="new-article-title"
        type="text"
        maxLength={500}
        required
        value={d.title}
        onInput={(e) => set({ title: e.currentTarget.value })}
        {...f.control('title')}
      />
      {f.message('title')}
      <ModerationModeChoice
        name="new-article-mode"
        value={d.moderationMode}
        onChange={(moderationMode) => set({ moderationMode })}
        message={f.message('moderationMode')}
      />
      <label for="new-article-close-at">Close by itself at (your time, optional)</label>
      <input
        id="new-article-close-at"
        type="datetime-local"
        value={d.closeAt}
        onInput={(e) => set({ closeAt: e.currentTarget.value })}
        {...f.control('closeAt')}
      />
      {f.message('closeAt')}
      <FormFooter
        problem={problem.value}
        busy={busy.value}
        save="Create article"
        onUndo={props.onCancel}
        undo="Cancel"
      />
    </form>
  );
}
