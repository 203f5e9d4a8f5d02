import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { SessionWebhooks } from './session-webhooks';
import { WebhookResolver } from './ssrf-guard';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEvents } from './webhook-events.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Outbound webhooks (issue 17): endpoints per user, events written in the transaction of the
 * change (an outbox delivered by pg-boss), signed like Stripe's, retried with backoff for 3 days,
 * an SSRF guard with the address pinned per delivery. Other modules emit through `WebhookEvents`.
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository,
    WebhookResolver,
    WebhookEvents,
    WebhookDeliveryService,
    WebhookEndpointsService,
    SessionWebhooks,
  ],
  exports: [WebhookEvents],
})
export class WebhooksModule {}
