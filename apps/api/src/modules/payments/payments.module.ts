import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsultationsCoreModule } from '../consultations/consultations-core.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MarketplaceModule } from '../marketplace/marketplace.module';
import { AdminPaymentsController } from './admin-payments.controller';
import { CheckoutExpiryService } from './checkout-expiry.service';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { ReconciliationService } from './reconciliation.service';
import { RefundsService } from './refunds.service';
import { StripeSandboxApiController } from './sandbox/stripe-sandbox-api.controller';
import { StripeSandboxCheckoutController } from './sandbox/stripe-sandbox-checkout.controller';
import { StripeSandbox } from './sandbox/stripe-sandbox.service';
import { StripeEventsService } from './stripe-events.service';
import { StripeWebhookController } from './stripe-webhook.controller';
import { OwnServerAddress } from './stripe/own-server-address';
import { StripeGateway } from './stripe/stripe-gateway';

/**
 * Payments through Stripe: checkout, the webhook, refunds, reconciliation and checkout expiry
 * (pg-boss jobs), and the local Stripe sandbox used when no STRIPE_SECRET_KEY is configured.
 * Other modules use `PaymentsService` (refunds, abandoning a checkout, a session's money).
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, MarketplaceModule, LedgerModule],
  controllers: [
    CheckoutController,
    StripeWebhookController,
    AdminPaymentsController,
    StripeSandboxApiController,
    StripeSandboxCheckoutController,
  ],
  providers: [
    OwnServerAddress,
    StripeGateway,
    StripeSandbox,
    PaymentsRepository,
    RefundsService,
    StripeEventsService,
    CheckoutService,
    CheckoutExpiryService,
    ReconciliationService,
    PaymentsService,
  ],
  exports: [PaymentsService],
})
export class PaymentsModule {}
