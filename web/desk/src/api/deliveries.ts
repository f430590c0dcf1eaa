/** A site's Slack alerts and its deliveries (webhooks, emails, Slack) with their dead letters: admins' calls. */
import { api, call, type Schemas } from './client';

export type SlackSettings = Schemas['SlackSettingsView'];
export type SlackTrigger = SlackSettings['triggers'][number];
export type Deliveries = Schemas['DeliveriesView'];
export type DeadLetter = Schemas['DeadLetterView'];

const key = (siteKey: string) => ({ params: { path: { key: siteKey } } });

export const getSlack = (siteKey: string) => call(() => api.GET('/api/admin/sites/{key}/slack', key(siteKey)));
export const putSlack = (siteKey: string, body: { url?: string; triggers: SlackTrigger[] }) =>
  call(() => api.PUT('/api/admin/sites/{key}/slack', { ...key(siteKey), body }));
export const removeSlack = (siteKey: string) => call(() => api.DELETE('/api/admin/sites/{key}/slack', key(siteKey)));

export const getDeliveries = (siteKey: string) =>
  call(() => api.GET('/api/admin/sites/{key}/deliveries', key(siteKey)));
export const sendAgain = (siteKey: string, letter: DeadLetter) =>
  call(() =>
    api.POST('/api/admin/sites/{key}/deliveries/{queue}/{id}/retry', {
      params: { path: { key: siteKey, queue: letter.queue, id: letter.id } },
    }),
  );
