import type { Api } from './api';
import { h } from './dom';
import type { Strings } from './i18n';
import type { Reader } from './thread-state';
import { fullTime } from './time';

/**
 * The reader with their ban as the service knows it now (GET /api/me), so that a banned reader is
 * told before writing rather than refused after; a ban lifted or run out is gone. The reader as
 * they were when the service cannot say: posting still refuses a ban.
 */
export async function withBan(api: Api, me: Reader): Promise<Reader> {
  try {
    const { ban } = await api.viewer();
    return ban.banned ? { id: me.id, name: me.name, ban: { until: ban.until } } : { id: me.id, name: me.name };
  } catch {
    return me;
  }
}

export const sameBan = (a: Reader | null, b: Reader | null): boolean =>
  !!a?.ban === !!b?.ban && a?.ban?.until === b?.ban?.until;

/** In place of the comment form: that the reader may not comment, and until when, in the thread's language. */
export function banNotice(t: Strings, lang: string, ban: NonNullable<Reader['ban']>): HTMLElement {
  const text = ban.until ? t.errors.bannedUntil(fullTime(ban.until, lang)) : t.errors.banned;
  return h('p', { class: 'notice banned', part: 'notice banned', text });
}
