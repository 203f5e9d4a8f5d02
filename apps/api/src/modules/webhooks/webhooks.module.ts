import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { SessionWebhooks } from './session-webhooks';
import { WebhookResolver } from './ssrf-guard';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEvents } from './webhook-events.service';
import { WebhookRetentionService } from './webhook-retention.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Outbound webhooks (issue 17): endpoints per user, events written in the transaction of the
 * change (an outbox delivered by pg-boss), signed like Stripe's, retried with backoff for 3 days,
 * an SSRF guard with the address pinned per delivery. Other modules emit through `WebhookEvents`;
 * identity disables a user's endpoints through `WebhookEndpointsService.disableAllOfOwner`.
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
    WebhookRetentionService,
    SessionWebhooks,
  ],
  exports: [WebhookEvents, WebhookEndpointsService],
})
export class WebhooksModule {}
