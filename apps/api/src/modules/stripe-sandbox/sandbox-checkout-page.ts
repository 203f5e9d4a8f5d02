import { formatMoney } from '@lm/domain';

export interface SandboxCheckoutView {
  id: string;
  status: string;
  paymentStatus: string;
  amountMinor: number;
  currency: string;
  expiresAt: number;
  successUrl: string | null;
  cancelUrl: string | null;
  lineItems: { name: string; description: string | null; unitAmount: number; quantity: number }[];
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The sandbox's stand-in for Stripe's hosted checkout page: what is bought, the amount, Pay and Cancel. No script. */
export function renderCheckoutPage(view: SandboxCheckoutView): string {
  const currency = view.currency.toUpperCase();
  const amount = formatMoney(view.amountMinor, currency, 'en');
  const items = view.lineItems
    .map(
      (
        l,
      ) => `<li><strong>${escape(l.name)}</strong>${l.description ? `<br><span class="muted">${escape(l.description)}</span>` : ''}
        <span class="price">${escape(formatMoney(l.unitAmount * l.quantity, currency, 'en'))}</span></li>`,
    )
    .join('');
  const base = `/api/sandbox/checkout/${encodeURIComponent(view.id)}`;
  let body: string;
  if (view.status === 'open') {
    body = `
      <form method="post" action="${base}/pay"><button type="submit" class="pay">Pay ${escape(amount)}</button></form>
      <form method="post" action="${base}/cancel"><button type="submit" class="cancel">Cancel</button></form>
      <p class="muted">Open until ${escape(new Date(view.expiresAt * 1000).toISOString().replace('T', ' ').slice(0, 16))} UTC.</p>`;
  } else if (view.status === 'complete') {
    body = `<p role="status">This checkout is already paid.</p>${view.successUrl ? `<p><a href="${escape(view.successUrl)}">Back to LexMarket</a></p>` : ''}`;
  } else {
    body = `<p role="status">This checkout has expired; nothing was charged.</p>${view.cancelUrl ? `<p><a href="${escape(view.cancelUrl)}">Back to LexMarket</a></p>` : ''}`;
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TEST MODE – Pay ${escape(amount)} – LexMarket sandbox checkout</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f7fb; margin: 0; padding: 2rem 1rem; color: #1a1f36; }
  main { max-width: 26rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  .test-mode { background: #b42318; color: #fff; font-weight: 700; letter-spacing: .08em; text-align: center; border-radius: 8px; padding: .5rem; margin: 0 0 .75rem; }
  .banner { background: #fff4d6; border: 1px solid #f1d68a; border-radius: 8px; padding: .5rem .75rem; font-size: .85rem; }
  ul { list-style: none; padding: 0; } li { padding: .5rem 0; border-bottom: 1px solid #eee; }
  .price { float: right; } .muted { color: #697386; font-size: .9rem; }
  .total { font-size: 1.6rem; font-weight: 600; margin: .5rem 0 1rem; }
  button { width: 100%; padding: .8rem; border-radius: 8px; font-size: 1rem; cursor: pointer; margin-bottom: .5rem; }
  .pay { background: #635bff; color: #fff; border: 0; } .cancel { background: #fff; border: 1px solid #ccd; }
</style>
</head>
<body>
<main>
  <p class="test-mode" role="alert">TEST MODE</p>
  <p class="banner">Local Stripe sandbox: no real card, no real money. Paying sends a signed Stripe event to this app’s webhook.</p>
  <h1>Pay LexMarket</h1>
  <div class="total" aria-label="Amount">${escape(amount)}</div>
  <ul>${items}</ul>
  ${body}
</main>
</body>
</html>`;
}
