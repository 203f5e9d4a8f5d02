import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { LedgerModule } from '../ledger';
import { MarketplaceModule } from '../marketplace';
import { NotificationsModule } from '../notifications';
import { WebhooksModule } from '../webhooks';
import { AdminPaymentsController } from './admin-payments.controller';
import { CheckoutExpiryService } from './checkout-expiry.service';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { ReconciliationService } from './reconciliation.service';
import { RefundsService } from './refunds.service';
import { StripeEventsService } from './stripe-events.service';
import { StripeWebhookController } from './stripe-webhook.controller';
import { OwnServerAddress } from './stripe/own-server-address';
import { StripeGateway } from './stripe/stripe-gateway';

/**
 * Payments through Stripe: checkout, the webhook, refunds, reconciliation and checkout expiry
 * (pg-boss jobs). Without STRIPE_SECRET_KEY the Stripe SDK talks to the local sandbox
 * (StripeSandboxModule), which is a separate module: nothing here knows it exists.
 * Other modules use `PaymentsService` (refunds, abandoning a checkout, a session's money); the
 * demo seed starts its demo client's checkouts with `CheckoutService` ("Book & pay" itself).
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, MarketplaceModule, LedgerModule, NotificationsModule, WebhooksModule],
  controllers: [CheckoutController, StripeWebhookController, AdminPaymentsController],
  providers: [
    OwnServerAddress,
    StripeGateway,
    PaymentsRepository,
    RefundsService,
    StripeEventsService,
    CheckoutService,
    CheckoutExpiryService,
    ReconciliationService,
    PaymentsService,
  ],
  // The gateway and the server's own address are for the Stripe sandbox module (a provider stand-in).
  exports: [PaymentsService, CheckoutService, StripeGateway, OwnServerAddress],
})
export class PaymentsModule {}
