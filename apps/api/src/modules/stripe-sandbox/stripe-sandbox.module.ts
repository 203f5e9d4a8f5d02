import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments';
import { StripeSandboxApiController } from './stripe-sandbox-api.controller';
import { StripeSandboxCheckoutController } from './stripe-sandbox-checkout.controller';
import { SandboxTestPayments } from './sandbox-test-payments';
import { StripeSandbox } from './stripe-sandbox.service';

/**
 * The local stand-in for Stripe (a provider, not part of our domain): Stripe's HTTP API over
 * this app's database, a hosted-checkout page, and signed webhook delivery to our own
 * /api/webhooks/stripe. Mounted by AppModule only when no STRIPE_SECRET_KEY is configured, so
 * with a real key none of its routes exist. The payments module never imports it: it talks to
 * it through the Stripe SDK, over HTTP, exactly as it talks to Stripe.
 */
@Module({
  imports: [PaymentsModule],
  controllers: [StripeSandboxApiController, StripeSandboxCheckoutController],
  providers: [StripeSandbox, SandboxTestPayments],
  // "Pay" on a test checkout, for the demo seed (see SandboxTestPayments).
  exports: [SandboxTestPayments],
})
export class StripeSandboxModule {}
