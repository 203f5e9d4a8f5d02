import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { SandboxCheckoutNotFound } from './stripe-sandbox.errors';
import { renderCheckoutPage } from './sandbox-checkout-page';
import { FakeStripeError } from './stripe-fake-api';
import { StripeSandbox } from './stripe-sandbox.service';

const CHECKOUT_ID = /^cs_test_[A-Za-z0-9]{10,80}$/;

/**
 * The sandbox's hosted checkout page (Stripe Checkout's stand-in). Like Stripe's page it is
 * reached by the unguessable checkout URL alone. "Pay" completes the checkout, delivers the
 * signed `checkout.session.completed` event to our webhook and redirects to `success_url`;
 * "Cancel" redirects to `cancel_url` and leaves the checkout open until it expires.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/checkout')
export class StripeSandboxCheckoutController {
  constructor(
    private readonly sandbox: StripeSandbox,
    private readonly config: AppConfig,
  ) {}

  @Get(':id')
  @ApiOperation({ operationId: 'sandboxCheckoutPage' })
  async page(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const found = await this.find(id);
    const s = found.session;
    const html = renderCheckoutPage({
      id: s.id as string,
      status: s.status as string,
      paymentStatus: s.payment_status as string,
      amountMinor: s.amount_total as number,
      currency: s.currency as string,
      expiresAt: s.expires_at as number,
      successUrl: s.success_url as string | null,
      cancelUrl: s.cancel_url as string | null,
      lineItems: found.lineItems,
    });
    // The forms redirect to the app's return URLs, which may be another origin than the API's.
    const returnOrigins = [s.success_url, s.cancel_url, this.config.PUBLIC_URL]
      .filter((u): u is string => typeof u === 'string')
      .map((u) => new URL(u).origin);
    void reply
      .header(
        'content-security-policy',
        `default-src 'self'; style-src 'unsafe-inline'; script-src 'none'; img-src 'self' data:; object-src 'none'; base-uri 'none'; ` +
          `frame-ancestors 'none'; form-action 'self' ${[...new Set(returnOrigins)].join(' ')}`,
      )
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  @Post(':id/pay')
  @ApiOperation({ operationId: 'sandboxCheckoutPay' })
  async pay(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const found = await this.find(id);
    if (found.session.status !== 'open') return this.redirect(reply, this.returnUrl(found.session));
    try {
      return this.redirect(reply, await this.sandbox.pay(id));
    } catch (e) {
      if (!(e instanceof FakeStripeError)) throw e;
      return this.redirect(reply, `/api/sandbox/checkout/${encodeURIComponent(id)}`);
    }
  }

  @Post(':id/cancel')
  @ApiOperation({ operationId: 'sandboxCheckoutCancel' })
  async cancel(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const found = await this.find(id);
    this.redirect(
      reply,
      found.session.status === 'complete'
        ? this.returnUrl(found.session)
        : ((found.session.cancel_url as string | null) ?? this.config.PUBLIC_URL),
    );
  }

  private async find(id: string) {
    const found = CHECKOUT_ID.test(id) ? await this.sandbox.checkout(id) : null;
    if (!found) throw new SandboxCheckoutNotFound();
    return found;
  }

  private returnUrl(session: Record<string, unknown>): string {
    const url = session.status === 'complete' ? session.success_url : session.cancel_url;
    return typeof url === 'string' ? url : this.config.PUBLIC_URL;
  }

  private redirect(reply: FastifyReply, url: string): void {
    void reply.header('cache-control', 'no-store').redirect(url, 303);
  }
}
