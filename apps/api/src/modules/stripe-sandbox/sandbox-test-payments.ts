import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SandboxCheckoutNotFound } from './stripe-sandbox.errors';
import { StripeSandbox } from './stripe-sandbox.service';

const CHECKOUT_ID = /^cs_test_[A-Za-z0-9]{10,80}$/;

/**
 * For the demo seed (embedded mode only: this module exists only without STRIPE_SECRET_KEY):
 * pays one of the sandbox's test checkouts exactly as a person pressing "Pay" on its hosted
 * page would. The checkout completes and its signed `checkout.session.completed` event is
 * delivered to this process's own /api/webhooks/stripe, so the payment, its ledger posting and
 * the session's `pay` transition come from the production webhook path.
 */
@Injectable()
export class SandboxTestPayments {
  constructor(
    private readonly sandbox: StripeSandbox,
    private readonly config: AppConfig,
  ) {}

  /** Pays the open sandbox checkout at `checkoutUrl` (the URL "Book & pay" returned). 404 SANDBOX_CHECKOUT_NOT_FOUND for any other URL. */
  async payCheckout(checkoutUrl: string): Promise<void> {
    const base = `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/api/sandbox/checkout/`;
    const id = checkoutUrl.startsWith(base) ? decodeURIComponent(checkoutUrl.slice(base.length)) : '';
    if (!CHECKOUT_ID.test(id) || !(await this.sandbox.checkout(id))) throw new SandboxCheckoutNotFound();
    await this.sandbox.pay(id);
  }
}
