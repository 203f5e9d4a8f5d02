// The public surface of the payments module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { CheckoutService } from './checkout.service';
export type { CreatedCheckout, StartedCheckout } from './checkout.service';
export { PaymentsModule } from './payments.module';
export { PaymentsService, refundable } from './payments.service';
export type { RefundSummary } from './payments.service';
// For the Stripe sandbox module (a provider stand-in) only.
export { OwnServerAddress } from './stripe/own-server-address';
export { SANDBOX_API_PATH, STRIPE_API_VERSION, StripeGateway } from './stripe/stripe-gateway';
