import { ModerationSettings } from '../settings/moderation-settings.entity';
import { Article } from './article.entity';

const DAY_MS = 24 * 3600 * 1000;

export interface ClosingState {
  closed: boolean;
  closedAt: Date | null;
  closedMessage: string | null;
}

type ClosingSettings = Pick<ModerationSettings, 'autoCloseAfterDays' | 'defaultClosedMessage'>;

/** When the article closes by itself: its closeAt, or autoCloseAfterDays after creation, whichever is first. */
export function scheduledCloseTime(article: Article, settings: ClosingSettings): Date | null {
  const times: number[] = [];
  if (article.closeAt) times.push(article.closeAt.getTime());
  if (settings.autoCloseAfterDays && !article.autoCloseExempt) {
    times.push(article.createdAt.getTime() + settings.autoCloseAfterDays * DAY_MS);
  }
  return times.length ? new Date(Math.min(...times)) : null;
}

/** The same time as scheduledCloseTime, in SQL over the articles table (alias) and a days parameter. */
export function scheduledCloseSql(alias: string, daysParam: string): string {
  return `LEAST(${alias}.close_at, CASE WHEN NOT ${alias}.auto_close_exempt AND CAST(${daysParam} AS int) IS NOT NULL
    THEN ${alias}.created_at + make_interval(days => CAST(${daysParam} AS int)) END)`;
}

/**
 * Closed by hand, or its scheduled time has passed. The schedule is checked here, at the moment of
 * asking, so no comment gets in between the time passing and the closing sweep writing it down.
 */
export function closingState(article: Article, settings: ClosingSettings, now = new Date()): ClosingState {
  if (article.closedAt) return { closed: true, closedAt: article.closedAt, closedMessage: article.closedMessage };
  const scheduled = scheduledCloseTime(article, settings);
  if (scheduled && scheduled <= now) {
    return { closed: true, closedAt: scheduled, closedMessage: settings.defaultClosedMessage };
  }
  return { closed: false, closedAt: null, closedMessage: null };
}
