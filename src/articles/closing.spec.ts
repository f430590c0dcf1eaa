import { ModerationSettings } from '../settings/moderation-settings.entity';
import { Article } from './article.entity';
import { closingState, scheduledCloseTime } from './closing';

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-06-10T12:00:00Z');
const settings = (autoCloseAfterDays: number | null) =>
  ({ autoCloseAfterDays, defaultClosedMessage: 'closed by default' }) as ModerationSettings;
const article = (over: Partial<Article> = {}) =>
  Object.assign(new Article(), {
    createdAt: new Date(now.getTime() - 3 * DAY),
    closedAt: null,
    closedMessage: null,
    closeAt: null,
    autoCloseExempt: false,
    ...over,
  });

describe('closingState', () => {
  it('is open with no schedule', () => {
    expect(closingState(article(), settings(null), now)).toEqual({
      closed: false,
      closedAt: null,
      closedMessage: null,
    });
  });
  it('is closed by hand with its own message', () => {
    const closedAt = new Date(now.getTime() - DAY);
    expect(closingState(article({ closedAt, closedMessage: 'no more' }), settings(null), now)).toEqual({
      closed: true,
      closedAt,
      closedMessage: 'no more',
    });
  });
  it('closes when closeAt has passed, with the default message', () => {
    const closeAt = new Date(now.getTime() - 1000);
    expect(closingState(article({ closeAt }), settings(null), now)).toEqual({
      closed: true,
      closedAt: closeAt,
      closedMessage: 'closed by default',
    });
  });
  it('stays open until closeAt', () => {
    expect(closingState(article({ closeAt: new Date(now.getTime() + 1000) }), settings(null), now).closed).toBe(false);
  });
  it('closes autoCloseAfterDays after creation unless exempted by a reopen', () => {
    expect(closingState(article(), settings(2), now).closed).toBe(true);
    expect(closingState(article(), settings(5), now).closed).toBe(false);
    expect(closingState(article({ autoCloseExempt: true }), settings(2), now).closed).toBe(false);
  });
  it('takes the earlier of closeAt and the automatic time', () => {
    const a = article({ closeAt: new Date(now.getTime() + DAY) });
    expect(scheduledCloseTime(a, settings(2))).toEqual(new Date(a.createdAt.getTime() + 2 * DAY));
  });
});
