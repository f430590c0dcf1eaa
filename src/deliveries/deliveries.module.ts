import { Global, Module } from '@nestjs/common';
import { DeliveryQueue } from './delivery-queue.service';
import { OutboundHttp } from './outbound-http';
import { OutboxRelay } from './outbox-relay';

/**
 * Delivering what happens to the world outside, at least once: the outbox the database writes
 * in each change's transaction, its relay, and the queue of deliveries that features (webhooks,
 * emails, Slack) subscribe to and work. It sits below those features and imports none of them.
 */
@Global()
@Module({ providers: [DeliveryQueue, OutboxRelay, OutboundHttp], exports: [DeliveryQueue, OutboxRelay, OutboundHttp] })
export class DeliveriesModule {}
