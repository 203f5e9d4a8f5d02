import { parseStripeForm } from './stripe-form';

describe('Stripe form encoding (bracket notation)', () => {
  it('parses nested objects, indexed arrays and appended arrays', () => {
    const body = [
      'mode=payment',
      'line_items[0][quantity]=1',
      'line_items[0][price_data][currency]=eur',
      'line_items[0][price_data][unit_amount]=12000',
      'line_items[0][price_data][product_data][name]=Initial%20consultation%20%2860%20min%29',
      'metadata[sessionId]=8f0c',
      'metadata[0]=zero',
      'expand[]=payment_intent',
      'expand[]=customer',
      'customer_email=a%2Bb%40example.com',
      'note=two+words',
    ].join('&');
    expect(parseStripeForm(body)).toEqual({
      mode: 'payment',
      line_items: [
        {
          quantity: '1',
          price_data: { currency: 'eur', unit_amount: '12000', product_data: { name: 'Initial consultation (60 min)' } },
        },
      ],
      metadata: { sessionId: '8f0c', '0': 'zero' },
      expand: ['payment_intent', 'customer'],
      customer_email: 'a+b@example.com',
      note: 'two words',
    });
  });

  it('parses range filters of list calls and keeps empty values (Stripe: "unset")', () => {
    expect(parseStripeForm('created[gte]=1700000000&limit=100&starting_after=cs_1&description=')).toEqual({
      created: { gte: '1700000000' },
      limit: '100',
      starting_after: 'cs_1',
      description: '',
    });
  });

  it('ignores malformed keys instead of failing', () => {
    expect(parseStripeForm('a]b=1&&=2&ok=3')).toEqual({ ok: '3' });
  });
});
