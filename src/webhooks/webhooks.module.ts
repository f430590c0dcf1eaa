import { Module } from '@nestjs/common';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhookFanOut } from './webhook-fan-out';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';

/** Webhooks per site: endpoints, the fan-out of events to them, their sending, and their delivery log. */
@Module({
  controllers: [WebhooksController],
  providers: [WebhookEndpoints, WebhookDeliveries, WebhookFanOut, WebhookSender],
})
export class WebhooksModule {}
