import { api, call, type Schemas } from './client';

export type WebhookEndpoint = Schemas['WebhookEndpointView'];
export type WebhookWithSecret = Schemas['WebhookEndpointWithSecretView'];
export type WebhookDelivery = Schemas['WebhookDeliveryView'];
export type WebhookEvent = WebhookEndpoint['events'][number];

/** The events an endpoint may subscribe to, grouped as the form shows them. */
export const WEBHOOK_EVENTS: { group: string; events: [WebhookEvent, string][] }[] = [
  {
    group: 'Comments',
    events: [
      ['comment.posted', 'Posted'],
      ['comment.held', 'Held for review'],
      ['comment.reported', 'Reported'],
      ['comment.approved', 'Approved'],
      ['comment.rejected', 'Rejected'],
      ['comment.restored', 'Put back'],
      ['comment.edited', 'Edited'],
      ['comment.deleted', 'Deleted'],
    ],
  },
  {
    group: 'Articles',
    events: [
      ['article.created', 'Created'],
      ['article.closed', 'Closed'],
      ['article.reopened', 'Reopened'],
    ],
  },
  {
    group: 'Users',
    events: [
      ['user.banned', 'Banned'],
      ['user.unbanned', 'Unbanned'],
    ],
  },
];

const one = (id: string) => ({ params: { path: { id } } });

export const listWebhooks = () => call(() => api.GET('/api/admin/webhooks'));
export const getWebhook = (id: string) => call(() => api.GET('/api/admin/webhooks/{id}', one(id)));
export const createWebhook = (body: { url: string; description?: string; events: WebhookEvent[] }) =>
  call(() => api.POST('/api/admin/webhooks', { body }));
export const rotateSecret = (id: string) => call(() => api.POST('/api/admin/webhooks/{id}/secret/rotate', one(id)));
export const pauseWebhook = (id: string) => call(() => api.POST('/api/admin/webhooks/{id}/pause', one(id)));
export const resumeWebhook = (id: string) => call(() => api.POST('/api/admin/webhooks/{id}/resume', one(id)));
export const sendTestEvent = (id: string) => call(() => api.POST('/api/admin/webhooks/{id}/test', one(id)));
export const listDeliveries = (id: string) =>
  call(() => api.GET('/api/admin/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } } }));
export const sendAgain = (id: string, deliveryId: string) =>
  call(() =>
    api.POST('/api/admin/webhooks/{id}/deliveries/{deliveryId}/resend', { params: { path: { id, deliveryId } } }),
  );
