import { batch, useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { ApiError, api, call, onSite, type BannedUser, type QueueItem } from '../api/client';
import { siteOfItem } from '../api/sites';
import { problemText } from '../forms';
import { onModerationEvent } from '../api/stream';
import {
  AlreadyDecided,
  announcement,
  decide,
  decideMany,
  decidedText,
  handleUndo,
  lastDecision,
  NotDecided,
  undo,
  type Action,
  type Why,
} from '../decisions';
import { count as countOf, number } from '../format';
import { claims } from '../session';
import { REFUSAL, statusWord } from '../words';
import { Card, type CardNotice } from './card';
import { BanDialog, HelpDialog, ReasonDialog } from './dialogs';
import { bannedText } from './waiting-comments';

export interface CardEntry {
  item: QueueItem;
  notice?: CardNotice;
}

interface Props {
  entries: CardEntry[];
  setEntries: (entries: CardEntry[]) => void;
  /** Whether a comment with this status still belongs in the list (a queue drops what was decided). */
  keeps: (status: QueueItem['status']) => boolean;
  /** `t`: the next queue, when the list is a queue. */
  onNextQueue?: () => void;
  label: string;
}

type Dialog = { kind: 'ban' | 'reason'; item: QueueItem } | { kind: 'help' } | { kind: 'bulk-reason' } | null;

/**
 * Cards worked by keyboard (Coral's keys) or mouse: decisions land at once on screen and the next
 * card takes the focus; the request follows, and a refusal puts the card back with what happened.
 */
export function CardList(props: Props) {
  const { entries } = props;
  const focus = useSignal(0);
  const focusTick = useSignal(0);
  const selected = useSignal<Set<string>>(new Set());
  const anchor = useRef<number | null>(null);
  const single = useSignal(false);
  const dialog = useSignal<Dialog>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const latest = useRef(props);
  latest.current = props;
  /** Comments this console decided: the stream's word about them is already on screen, and may come late. */
  const mine = useRef(new Set<string>());
  /** Where each decided card was: an undo puts it back there. */
  const placeOf = useRef(new Map<string, number>());

  const focusCard = (index: number) => {
    focus.value = Math.max(0, Math.min(index, latest.current.entries.length - 1));
    focusTick.value++;
  };
  useLayoutEffect(() => {
    const entry = latest.current.entries[focus.value];
    if (entry && focusTick.value > 0) cards.current.get(entry.item.id)?.focus();
  }, [focusTick.value]);

  /** Changes the list at once, so that several changes before the next render build on each other. */
  const commit = (next: CardEntry[]) => {
    latest.current = { ...latest.current, entries: next };
    latest.current.setEntries(next);
  };

  const update = (id: string, change: (e: CardEntry) => CardEntry | null) => {
    const next: CardEntry[] = [];
    for (const e of latest.current.entries) {
      if (e.item.id !== id) next.push(e);
      else {
        const changed = change(e);
        if (changed) next.push(changed);
      }
    }
    commit(next);
  };

  const putBack = (index: number, entry: CardEntry) => {
    const next = latest.current.entries.filter((e) => e.item.id !== entry.item.id);
    next.splice(Math.min(index, next.length), 0, entry);
    commit(next);
  };

  const failed = (index: number, entry: CardEntry, error: unknown) => {
    const text =
      error instanceof AlreadyDecided
        ? error.message
        : `That did not work: ${error instanceof ApiError ? error.message : String(error)}`;
    const item =
      error instanceof AlreadyDecided ? { ...entry.item, status: error.status as QueueItem['status'] } : entry.item;
    putBack(index, { item, notice: { kind: error instanceof AlreadyDecided ? 'decided' : 'error', text } });
    announcement.value = { text };
  };

  const decideOne = (item: QueueItem, action: Action, why?: Why) => {
    const index = latest.current.entries.findIndex((e) => e.item.id === item.id);
    if (index < 0) return;
    const entry = latest.current.entries[index];
    const status = action === 'approve' ? 'approved' : 'rejected';
    batch(() => {
      if (latest.current.keeps(status)) update(item.id, (e) => ({ item: { ...e.item, status }, notice: undefined }));
      else update(item.id, () => null);
      focusCard(index);
    });
    const who = item.author?.name ?? 'someone';
    mine.current.add(item.id);
    placeOf.current.set(item.id, index);
    const decided = decide(item, action, why);
    decided.answer.then(
      () => {
        if (decided.undone) return; // the undo's own word follows
        announcement.value = {
          text: `${action === 'approve' ? 'Approved' : 'Rejected'} the comment by ${who}.`,
          undo: true,
        };
      },
      (error) => failed(index, entry, error),
    );
  };

  const undoLast = () => {
    const last = lastDecision.value;
    if (!last) {
      announcement.value = { text: 'Nothing to undo.' };
      return;
    }
    const who = last.item.author?.name ?? 'someone';
    announcement.value = { text: `Undoing: the comment by ${who} goes back to ${statusWord(last.fromStatus)}…` };
    undo(last).then(
      (item) => {
        const index = Math.min(placeOf.current.get(item.id) ?? focus.value, latest.current.entries.length);
        if (latest.current.keeps(item.status)) putBack(index, { item });
        else update(item.id, () => null);
        focusCard(latest.current.entries.findIndex((e) => e.item.id === item.id));
        announcement.value = { text: `Undone: the comment is ${statusWord(item.status)} again.` };
      },
      (error) => {
        // A decision that did not go through has put its card back and said why.
        if (error instanceof NotDecided) announcement.value = { text: `Nothing to undo: ${error.message}` };
        else announcement.value = { text: error instanceof Error ? error.message : String(error) };
      },
    );
  };

  const decideSelected = async (action: Action, why?: Why) => {
    const ids = [...selected.value];
    if (ids.length === 0) return;
    const status = action === 'approve' ? 'approved' : 'rejected';
    const results = await decideMany(ids, action, why);
    let done = 0;
    batch(() => {
      for (const [id, code] of results) {
        if (code === null) {
          done++;
          if (latest.current.keeps(status)) update(id, (e) => ({ item: { ...e.item, status } }));
          else update(id, () => null);
        } else
          update(id, (e) => ({
            ...e,
            notice: { kind: 'error', text: `Not ${status}: ${REFUSAL[code] ?? 'the service refused it'}.` },
          }));
      }
      selected.value = new Set();
      focusCard(focus.value);
    });
    announcement.value = {
      text: `${action === 'approve' ? 'Approved' : 'Rejected'} ${number(done)} of ${countOf(ids.length, 'comment', 'comments')}.`,
    };
  };

  /** The author whose comments a ban (open, or just answered) rejects: their cards follow the ban's answer, not the stream. */
  const banFollowing = useRef<string | null>(null);
  const followBan = async (user: BannedUser) => {
    if (user.waitingRejections.rejected + user.waitingRejections.skipped === 0) return;
    banFollowing.current = user.id;
    try {
      const theirs = latest.current.entries.filter((e) => e.item.author?.id === user.id);
      const now = await Promise.all(
        theirs.map((e) =>
          call(() => api.GET('/api/comments/{id}', { params: { path: { id: e.item.id } } })).catch(() => null),
        ),
      );
      batch(() => {
        now.forEach((comment, i) => {
          if (!comment || comment.status === theirs[i].item.status) return;
          if (latest.current.keeps(comment.status))
            update(comment.id, (e) => ({ item: { ...e.item, status: comment.status, openReportCount: 0 } }));
          else update(comment.id, () => null);
        });
        focusCard(focus.value);
      });
    } finally {
      banFollowing.current = null;
    }
  };

  const select = (index: number, range: boolean) => {
    const set = new Set(selected.value);
    const ids = latest.current.entries.map((e) => e.item.id);
    if (range && anchor.current !== null) {
      const [from, to] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
      for (let i = from; i <= to; i++) set.add(ids[i]);
    } else if (set.has(ids[index])) set.delete(ids[index]);
    else set.add(ids[index]);
    anchor.current = index;
    selected.value = set;
  };

  const premod = async (item: QueueItem) => {
    if (!item.author) return;
    try {
      await call(() =>
        api.POST('/api/moderation/users/{id}/premod', {
          params: { path: { id: item.author!.id } },
          body: { enabled: true },
          ...onSite(siteOfItem(item)?.key),
        }),
      );
      announcement.value = { text: `${item.author.name ?? item.author.id}'s new comments will be held for review.` };
    } catch (error) {
      announcement.value = { text: `That did not work: ${problemText(error)}` };
    }
  };

  // Decisions by other moderators show on their cards as they happen.
  useEffect(
    () =>
      onModerationEvent((event) => {
        if (event.type !== 'decision' || event.data.targetType !== 'comment') return;
        const byMe = event.data.actor?.id === claims.value?.sub;
        if (mine.current.has(event.data.targetId) && byMe) return;
        const entry = latest.current.entries.find((e) => e.item.id === event.data.targetId);
        if (!entry || entry.item.status === event.data.toStatus) return;
        const open = dialog.peek();
        const banning = open?.kind === 'ban' ? open.item.author?.id : banFollowing.current;
        if (byMe && banning && entry.item.author?.id === banning) return;
        update(entry.item.id, (e) => ({
          item: { ...e.item, status: (event.data.toStatus ?? e.item.status) as QueueItem['status'] },
          notice: { kind: 'decided', text: decidedText(event.data.toStatus ?? '', event.data) },
        }));
      }),
    [],
  );

  useEffect(() => {
    handleUndo(undoLast);
    const onKey = (event: KeyboardEvent) => {
      // A dialog closed by Escape is shut before its close event runs: keys pressed between the two are the list's.
      const shut = !!document.querySelector('dialog[data-modal]:not([open])');
      if (event.ctrlKey || event.metaKey || event.altKey || (dialog.value && !shut)) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable], dialog')) return;
      const current = latest.current.entries[focus.value];
      const key = event.key;
      const act = (run: () => void) => {
        event.preventDefault();
        run();
      };
      // Until a card has the focus, j and k go to the current one rather than past it.
      const onCard = !!current && document.activeElement === cards.current.get(current.item.id);
      if (key === 'j') act(() => focusCard(onCard ? focus.value + 1 : focus.value));
      else if (key === 'k') act(() => focusCard(onCard ? focus.value - 1 : focus.value));
      else if (key === 'f' && current && !current.notice) act(() => decideOne(current.item, 'approve'));
      else if (key === 'd' && current && !current.notice)
        act(() => (dialog.value = { kind: 'reason', item: current.item }));
      else if (key === 'b' && current?.item.author) act(() => (dialog.value = { kind: 'ban', item: current.item }));
      else if (key === 'u') act(undoLast);
      else if (key === 'x' && current) act(() => select(focus.value, false));
      else if (key === 'z') act(() => ((single.value = !single.value), focusCard(focus.value)));
      else if (key === 't' && latest.current.onNextQueue) act(latest.current.onNextQueue);
      else if (key === '?') act(() => (dialog.value = { kind: 'help' }));
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      handleUndo(null);
    };
  }, []);

  const count = selected.value.size;
  const allSelected = entries.length > 0 && entries.every((e) => selected.value.has(e.item.id));
  const shown = single.value ? entries.slice(focus.value, focus.value + 1) : entries;
  const open = dialog.value;
  return (
    <section aria-label={props.label}>
      <div class="toolbar">
        <label class="inline">
          <input
            type="checkbox"
            checked={allSelected}
            disabled={entries.length === 0}
            onChange={() => (selected.value = allSelected ? new Set() : new Set(entries.map((e) => e.item.id)))}
          />
          Select all on this page
        </label>
        {count > 0 && (
          <>
            <button type="button" class="approve" onClick={() => decideSelected('approve')}>
              Approve {count} selected
            </button>
            <button type="button" class="reject" onClick={() => (dialog.value = { kind: 'bulk-reason' })}>
              Reject {count} selected
            </button>
          </>
        )}
        <button type="button" class="quiet" onClick={() => (single.value = !single.value)} aria-pressed={single.value}>
          One at a time
        </button>
        <button type="button" class="quiet" onClick={() => (dialog.value = { kind: 'help' })} aria-keyshortcuts="?">
          Keyboard shortcuts
        </button>
      </div>
      {shown.map((entry) => {
        const index = entries.indexOf(entry);
        return (
          <Card
            key={entry.item.id}
            item={entry.item}
            index={index}
            notice={entry.notice}
            selected={selected.value.has(entry.item.id)}
            onSelect={select}
            onDecide={decideOne}
            onRejectWithReason={(item) => (dialog.value = { kind: 'reason', item })}
            onBan={(item) => (dialog.value = { kind: 'ban', item })}
            onPremod={premod}
            onFocus={() => (focus.value = index)}
            cardRef={(el: HTMLElement | null) => {
              if (el) cards.current.set(entry.item.id, el);
              else cards.current.delete(entry.item.id);
            }}
          />
        );
      })}
      {open?.kind === 'help' && <HelpDialog onClose={() => (dialog.value = null)} />}
      {open?.kind === 'reason' && (
        <ReasonDialog
          onClose={(result) => {
            dialog.value = null;
            if (result) decideOne(open.item, 'reject', result);
          }}
        />
      )}
      {open?.kind === 'bulk-reason' && (
        <ReasonDialog
          title={`Reject ${countOf(count, 'selected comment', 'selected comments')}`}
          confirm={`Reject ${number(count)}`}
          onClose={(result) => {
            dialog.value = null;
            if (result) void decideSelected('reject', result);
          }}
        />
      )}
      {open?.kind === 'ban' && open.item.author && (
        <BanDialog
          userId={open.item.author.id}
          name={open.item.author.name ?? open.item.author.id}
          onClose={(user) => {
            dialog.value = null;
            if (!user) return;
            announcement.value = { text: bannedText(user) };
            void followBan(user);
          }}
        />
      )}
    </section>
  );
}
