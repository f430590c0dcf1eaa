import { Module } from '@nestjs/common';
import { DeadLetters } from './dead-letters.service';
import { DeliveriesController } from './deliveries.controller';

/** The admins' view of a site's deliveries, and their dead letters sent again. */
@Module({ controllers: [DeliveriesController], providers: [DeadLetters] })
export class DeliveryAdminModule {}
