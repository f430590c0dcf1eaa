import type { CommentView } from './comment-view';
import { busy, h, nextId } from './dom';
import type { Strings } from './i18n';
import type { Linked } from './thread-state';

/**
 * What a link to one comment adds to the thread: the comment's mark (a highlight, and a label its
 * article is described by), and above the list either the note that it is drawn alone with the way
 * back to the whole thread, or the message that the reader may not see it.
 */
export class LinkedView {
  /** Above the list. */
  readonly bar: HTMLElement;
  /** Below the list, when the comment is drawn alone: the way back, for a reader at the end. */
  readonly after: HTMLButtonElement;
  private readonly label: HTMLElement;
  private marked?: CommentView;

  constructor(
    private readonly t: Strings,
    private readonly showAll: () => Promise<void>,
  ) {
    this.bar = h('div', { class: 'notice linked-bar', tabindex: -1, hidden: true });
    this.after = this.showAllButton();
    this.after.classList.add('more');
    this.after.hidden = true;
    this.label = h('p', { class: 'linked-label', id: nextId('cd-linked'), text: t.linkedComment });
  }

  private showAllButton(): HTMLButtonElement {
    const button: HTMLButtonElement = h('button', {
      type: 'button',
      text: this.t.showAll,
      onclick: () => busy(button, this.showAll),
    });
    return button;
  }

  draw(linked: Linked | null, view: CommentView | undefined): void {
    const { t } = this;
    if (!linked || (linked.found && !linked.alone)) this.bar.replaceChildren();
    else if (!linked.found) this.bar.replaceChildren(h('p', { role: 'status', text: t.linkMissing }));
    else this.bar.replaceChildren(h('p', { text: t.linkedAlone }), this.showAllButton());
    this.bar.hidden = !this.bar.firstChild;
    this.after.hidden = !linked?.alone;
    this.mark(linked?.found ? view : undefined);
  }

  private mark(view: CommentView | undefined): void {
    if (view === this.marked) return;
    if (this.marked) {
      this.marked.art.classList.remove('linked');
      this.marked.art.removeAttribute('aria-describedby');
      this.label.remove();
    }
    this.marked = view;
    if (!view) return;
    view.art.classList.add('linked');
    view.art.setAttribute('aria-describedby', this.label.id);
    view.li.insertBefore(this.label, view.art);
  }
}
