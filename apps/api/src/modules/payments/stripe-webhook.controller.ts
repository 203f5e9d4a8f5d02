import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { WebhookAckResponse } from './dto/checkout-session.response';
import { StripeEventsService } from './stripe-events.service';

/** Stripe's events are a few kilobytes; this leaves ample room and refuses megabytes of junk before parsing. */
export const WEBHOOK_BODY_LIMIT = 128 * 1024;

/**
 * Stripe's webhook endpoint. Public (Stripe has no token of ours) and authenticated by the
 * Stripe-Signature HMAC over the raw body instead. Rate-limited per address like every route
 * (Stripe retries a 429 with backoff) and bounded to 128 KB; the signature is checked before
 * any database access, so a flood of unsigned junk costs only the throttle's one upsert.
 */
@ApiTags('payments')
@Controller('webhooks')
export class StripeWebhookController {
  constructor(private readonly events: StripeEventsService) {}

  @Post('stripe')
  @Public()
  @RouteConfig({ bodyLimit: WEBHOOK_BODY_LIMIT })
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveStripeWebhook',
    summary:
      'Stripe events (checkout.session.*, refund.*, charge.refunded). Verified with the Stripe-Signature header over the raw body ' +
      '(400 STRIPE_SIGNATURE_INVALID, nothing written); idempotent by event id.',
  })
  @ApiConsumes('application/json')
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: 't=<unix time>,v1=<HMAC-SHA256 of "t.body">' })
  @ApiOkResponse({ type: WebhookAckResponse })
  @ApiErrorResponses(400, 413, 503)
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<WebhookAckResponse> {
    await this.events.handleWebhook(request.rawBody, signature);
    return { received: true };
  }
}
