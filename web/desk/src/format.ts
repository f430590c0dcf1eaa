const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function when(iso: string | Date): string {
  return dateTime.format(new Date(iso));
}

/** "3 minutes ago", for recent times; the date past a day. */
export function ago(iso: string | Date, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 60) return relative.format(seconds, 'second');
  if (Math.abs(seconds) < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return when(iso);
}

export const STATUS_LABEL: Record<string, string> = {
  pending: 'pending',
  published: 'published, not reviewed',
  approved: 'approved',
  rejected: 'rejected',
};

export const ACTION_LABEL: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  restore: 'put back',
};
