import { busy, h, nextId } from './dom';
import type { Strings } from './i18n';
import { pickup, pickupPair, type ProviderSession } from '../../shared/provider-sign-in';

/** Letters and digits not mistaken for one another: the service's matchCode (src/sign-in/match-code.ts), derived alike. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

async function matchCode(pickupHash: string): Promise<string> {
  const data = new TextEncoder().encode(`comment-desk-match:${pickupHash}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  const letters = Array.from(digest.subarray(0, 6), (byte) => ALPHABET[byte % 32]).join('');
  return `${letters.slice(0, 3)}-${letters.slice(3)}`;
}

/** How often the page asks whether the link was opened, and for how long (the link's life, and a little). */
const POLL_MS = 2000;
const WAIT_MS = 20 * 60_000;

export interface EmailSignInCalls {
  /** Asks the service to email a link; rejects with the service's refusal. */
  ask(address: string, name: string, pickupHash: string): Promise<void>;
  /** The session, once the link was opened (on this device or another). */
  signedIn(session: ProviderSession): void;
  cancel(): void;
  errorText(error: unknown): string;
}

/**
 * Sign-in by email link (sign-in="email"): a name and an address; then "check your email" while
 * the page waits, asking the service for its tokens with its own secret, until the link is opened
 * wherever the reader reads their email.
 */
export function emailSignInPanel(t: Strings, base: string, site: string, calls: EmailSignInCalls): HTMLElement {
  const panel = h('div', { class: 'email-signin' });
  let waiting = 0;
  const field = (label: string, input: HTMLInputElement) => {
    input.id = nextId('cd-e');
    return h('p', null, h('label', { for: input.id, text: label }), input);
  };
  const showForm = (message = '', address = '', name = '') => {
    waiting++;
    const nameInput = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: 100, required: true });
    const addressInput = h('input', {
      type: 'email',
      name: 'email',
      autocomplete: 'email',
      maxlength: 254,
      required: true,
    });
    nameInput.value = name;
    addressInput.value = address;
    const error = h('p', { id: nextId('cd-e'), class: 'error', role: 'alert', text: message });
    for (const input of [nameInput, addressInput]) input.setAttribute('aria-describedby', error.id);
    const submit = h('button', { type: 'submit', class: 'primary', part: 'button primary', text: t.emailSend });
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          const [who, where] = [nameInput.value.trim(), addressInput.value.trim()];
          if (!who || !/^[^\s@]+@[^\s@]+$/.test(where)) return void (error.textContent = t.emailMissing);
          void busy(submit, async () => {
            const { secret, hash } = await pickupPair();
            try {
              await calls.ask(where, who, hash);
            } catch (failure) {
              const refused = (failure as { code?: string }).code === 'VALIDATION_FAILED';
              error.textContent = refused ? t.emailMissing : calls.errorText(failure);
              return;
            }
            showSent(where, who, secret, await matchCode(hash));
          });
        },
      },
      field(t.emailName, nameInput),
      field(t.emailAddress, addressInput),
      error,
      h(
        'div',
        { class: 'row' },
        submit,
        h('button', { type: 'button', text: t.cancel, onclick: () => calls.cancel() }),
      ),
    );
    panel.replaceChildren(form);
    nameInput.focus();
  };
  const showSent = (address: string, name: string, secret: string, code: string) => {
    const turn = ++waiting;
    const again = h('button', { type: 'button', text: t.emailAgain, onclick: () => showForm('', address, name) });
    const note = h('p', { role: 'status', tabindex: -1, text: `${t.emailSent(address)} ${t.emailCode(code)}` });
    panel.replaceChildren(note, h('p', null, again));
    note.focus();
    void (async () => {
      const until = Date.now() + WAIT_MS;
      while (turn === waiting && panel.isConnected && Date.now() < until) {
        const res = await pickup(base, site, secret);
        if (turn !== waiting) return;
        if (res?.status === 200) return calls.signedIn((await res.json()) as ProviderSession);
        if (res && res.status !== 202 && res.status !== 429 && res.status < 500) break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (turn === waiting && panel.isConnected) showForm(t.emailExpired, address, name);
    })();
  };
  showForm();
  return panel;
}
