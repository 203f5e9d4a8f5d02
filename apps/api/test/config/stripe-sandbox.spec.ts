import { ConfigValidationError, loadConfig, productionProblems } from '../../src/config/app-config';
import { renderCheckoutPage } from '../../src/modules/stripe-sandbox/sandbox-checkout-page';

/**
 * Issue 10, finding 5: without STRIPE_SECRET_KEY the sandbox (free "payments" through an
 * unauthenticated pay page) turned on in production too. Production now refuses to start
 * without a key unless STRIPE_SANDBOX=true, and the sandbox page says TEST MODE.
 */
describe('Stripe sandbox configuration', () => {
  const KEY = 'sk_live_abcdefghijklmnop';

  it('production without a Stripe key is refused, naming STRIPE_SECRET_KEY and the explicit switch', () => {
    const problems = productionProblems(loadConfig({ NODE_ENV: 'production' }));
    expect(problems).toEqual([{ variable: 'STRIPE_SECRET_KEY', message: expect.stringContaining('STRIPE_SANDBOX=true') }]);
  });

  it('production with a key, or with STRIPE_SANDBOX=true, starts; development without a key uses the sandbox', () => {
    expect(productionProblems(loadConfig({ NODE_ENV: 'production', STRIPE_SECRET_KEY: KEY }))).toEqual([]);
    expect(productionProblems(loadConfig({ NODE_ENV: 'production', STRIPE_SANDBOX: 'true' }))).toEqual([]);
    expect(productionProblems(loadConfig({ NODE_ENV: 'development' }))).toEqual([]);
  });

  it('contradictory settings are refused at load', () => {
    expect(() => loadConfig({ STRIPE_SANDBOX: 'false' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ STRIPE_SANDBOX: 'true', STRIPE_SECRET_KEY: KEY })).toThrow(/STRIPE_SANDBOX/);
  });

  it('the sandbox checkout page says TEST MODE, visibly', () => {
    const html = renderCheckoutPage({
      id: 'cs_test_abcdefghijkl',
      status: 'open',
      paymentStatus: 'unpaid',
      amountMinor: 9000,
      currency: 'eur',
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      successUrl: null,
      cancelUrl: null,
      lineItems: [],
    });
    expect(html).toMatch(/<title>TEST MODE/);
    expect(html).toMatch(/<p class="test-mode" role="alert">TEST MODE<\/p>/);
  });
});
