import { signal } from '@preact/signals';
import { api, call, type Schemas } from './api/client';

/** Whether this installation sends email, and whether it keeps it for admins (null: not known, or not an admin). */
export const mailStatus = signal<Schemas['MailStatusView'] | null>(null);

export async function loadMailStatus(): Promise<void> {
  mailStatus.value = await call(() => api.GET('/api/admin/mail'), 1).catch(() => null);
}
