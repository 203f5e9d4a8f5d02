import { ApiProperty } from '@nestjs/swagger';

export class CheckoutSessionResponse {
  /** Our session (PENDING_PAYMENT until Stripe confirms the payment). */
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  /** Where to send the client to pay: Stripe Checkout, or the local sandbox's page. */
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_a1…' })
  checkoutUrl: string;
  /** True when this is the client's still-open checkout of the offering (no new session was created). */
  @ApiProperty({ example: false })
  resumed: boolean;
}

export class WebhookAckResponse {
  /** Always true: the event was verified and recorded (or had been already). */
  @ApiProperty({ example: true })
  received: boolean;
}
