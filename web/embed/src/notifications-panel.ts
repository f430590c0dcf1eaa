import type { Api, NotificationSettings } from './api';
import { busy, h, nextId } from './dom';
import type { Strings } from './i18n';

const KINDS = ['replies', 'approved', 'rejected'] as const;
const FREQUENCIES = ['immediate', 'hourly', 'daily'] as const;

/**
 * The signed-in reader's email notifications, folded away under the "Signed in as" line: read
 * from the service when first opened (all off until the reader turns them on), saved as a whole.
 * The address comes from the site's login when it verified one; otherwise the reader gives one
 * and confirms it by the link emailed to it.
 */
export function notificationsPanel(t: Strings, api: () => Api, lang: string, errorText: (e: unknown) => string) {
  const w = t.notify;
  const body = h('div', { class: 'sub' });
  const panel = h('details', { class: 'notify', part: 'notifications' }, h('summary', { text: w.title }), body);
  const status = h('p', { role: 'status', class: 'muted' });
  let loaded = false;

  const draw = (s: NotificationSettings) => {
    if (!s.available) return void body.replaceChildren(h('p', { class: 'muted', text: w.unavailable }));
    const boxes = KINDS.map((kind) => {
      const box = h('input', { type: 'checkbox', name: kind });
      box.checked = s[kind];
      return box;
    });
    const freqId = nextId('cd-freq');
    const freq = h(
      'select',
      { id: freqId },
      ...FREQUENCIES.map((f) => h('option', { value: f, selected: f === s.frequency, text: w.frequencies[f] })),
    );
    const save = h('button', { type: 'submit', class: 'primary', part: 'button primary', text: t.save });
    const form = h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          void busy(save, async () => {
            try {
              const choices = { replies: boxes[0].checked, approved: boxes[1].checked, rejected: boxes[2].checked };
              draw(await api().saveNotifications({ ...choices, frequency: freq.value as typeof s.frequency, lang }));
              status.textContent = w.saved;
            } catch (error) {
              status.textContent = errorText(error);
            }
          });
        },
      },
      h(
        'fieldset',
        null,
        h('legend', { text: w.when }),
        ...boxes.map((box, i) => h('label', { class: 'radio' }, box, w[KINDS[i]])),
      ),
      h('label', { for: freqId, text: w.frequency }),
      freq,
      address(s),
      h('p', null, save),
    );
    body.replaceChildren(form, status);
  };

  const address = (s: NotificationSettings) => {
    if (s.address) return h('p', { class: 'muted', text: w.sentTo(s.address) });
    const id = nextId('cd-email');
    const input = h('input', { id, type: 'email', autocomplete: 'email', value: s.pendingAddress ?? '' });
    const note = h('p', { class: 'muted', text: s.pendingAddress ? w.linkSent(s.pendingAddress) : '' });
    const send: HTMLButtonElement = h('button', {
      type: 'button',
      text: w.confirm,
      onclick: () =>
        busy(send, async () => {
          try {
            await api().giveAddress(input.value.trim(), lang);
            draw(await api().notifications());
          } catch (error) {
            status.textContent = errorText(error);
          }
        }),
    });
    return h('div', null, h('label', { for: id, text: w.address }), h('p', null, input, ' ', send), note);
  };

  panel.addEventListener('toggle', () => {
    if (!panel.open || loaded) return;
    loaded = true;
    api()
      .notifications()
      .then(draw, (error: unknown) => {
        loaded = false;
        body.replaceChildren(h('p', { role: 'alert', text: errorText(error) }));
      });
  });
  return panel;
}
