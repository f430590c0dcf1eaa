import type { Api, Comment } from './api';
import { h } from './dom';
import type { Strings } from './i18n';
import { notificationsPanel } from './notifications-panel';
import { banNotice } from './reader-ban';
import { clearForm, showError, textForm, type TextForm } from './text-form';
import type { ThreadState } from './thread-state';

export interface ComposerCalls {
  signIn(): void;
  post(body: string, parentId: null, idempotencyKey: string): Promise<Comment>;
  errorText(error: unknown): string;
  /** The service, for the reader's own settings (email notifications). */
  api(): Api;
}

/** Above the thread: "Sign in to comment", or the reader's comment form; nothing once the thread is closed. */
export class Composer {
  readonly el = h('div');
  /** The comment form, when the reader may write. */
  draft?: TextForm;
  private key = '';
  private closed = false;
  private signedOut = false;

  constructor(
    private readonly t: Strings,
    private readonly calls: ComposerCalls,
    private readonly lang = 'en',
  ) {}

  /** In place of "Sign in to comment": the reader's sign-in by email, begun. */
  showSignIn(panel: HTMLElement): void {
    this.el.replaceChildren(panel);
    panel.querySelector('input')?.focus();
  }

  /** Back to "Sign in to comment" (the reader cancelled a sign-in by email). */
  signInCancelled(state: ThreadState): void {
    this.key = '';
    this.draw(state);
    this.el.querySelector('button')?.focus();
  }

  draw({ head, me, signInTrouble }: ThreadState): void {
    const { t } = this;
    this.closed = !!head?.closed;
    this.signedOut = !me;
    // Only a change of state redraws it: a reader's focus and text stay where they are.
    const key = `${head?.closed}|${me?.id}|${signInTrouble}|${me?.ban ? (me.ban.until ?? 'ban') : ''}`;
    if (key === this.key) return;
    this.key = key;
    const kept = this.draft?.text.value;
    if (head?.closed) {
      // A reader in the middle of writing keeps their text (to copy elsewhere); nothing else is
      // offered. The thread's notice says it is closed: an alert under the text would say it twice.
      if (kept && this.draft) {
        this.draft.submit.setAttribute('aria-disabled', 'true');
        showError(this.draft, '');
      } else {
        this.el.replaceChildren();
        this.draft = undefined;
      }
      return;
    }
    if (!me) {
      const signIn = h(
        'p',
        { class: 'signin' },
        h('button', {
          type: 'button',
          class: 'primary',
          part: 'button primary',
          text: t.signIn,
          onclick: () => this.calls.signIn(),
        }),
      );
      // A token the page gave that did not sign the reader in: said where the reader looks, not only to screen readers.
      const trouble = signInTrouble && (signInTrouble === 'expired' ? t.errors.signInAgain : t.errors.tokenInvalid);
      if (trouble && kept && this.draft) {
        // Refused while writing: the text stays, to send once signed in again; the form's alert says why.
        this.draft.submit.setAttribute('aria-disabled', 'true');
        showError(this.draft, trouble);
        this.el.firstElementChild?.replaceWith(signIn); // "Signed in as", above the form
        return;
      }
      this.draft = undefined;
      this.el.replaceChildren(
        ...[trouble && h('p', { class: 'error', role: 'alert', text: trouble }), signIn].filter((n) => !!n),
      );
      return;
    }
    if (me.ban) {
      this.draft = undefined;
      this.el.replaceChildren(this.signedIn(me.name), banNotice(t, this.lang, me.ban));
      return;
    }
    const draft: TextForm = textForm(t, {
      label: t.yourComment,
      submit: t.post,
      initial: kept,
      send: async (body, key) => {
        await this.calls.post(body, null, key);
        clearForm(draft);
      },
      errorText: this.calls.errorText,
      locked: () => (this.closed || this.signedOut) && draft === this.draft,
    });
    this.draft = draft;
    this.el.replaceChildren(this.signedIn(me.name), draft.form);
  }

  /** "Signed in as", and the reader's email notifications beside it. */
  private signedIn(name: string): HTMLElement {
    return h(
      'div',
      { class: 'me' },
      h('p', { class: 'muted', text: this.t.signedInAs(name) }),
      notificationsPanel(this.t, this.calls.api, this.lang, this.calls.errorText),
    );
  }
}
