import { createHmac } from 'node:crypto';
import { verifyWebhookSignature } from './index';

/** Signs like the API does (node:crypto, independent of the helper under test). */
const sign = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

describe('verifyWebhookSignature', () => {
  const secret = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAx';
  const other = 'whsec_b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItMDI';
  const body = JSON.stringify({ id: 'evt_1', type: 'session.paid', created: '2026-01-01T00:00:00.000Z', data: { a: 'é' } });
  const now = new Date('2026-01-01T00:00:10Z');
  const t = Math.floor(now.getTime() / 1000) - 10;

  it('accepts a good signature (string and byte payloads)', async () => {
    const header = `t=${t},v1=${sign(secret, t, body)}`;
    expect(await verifyWebhookSignature({ payload: body, header, secret, now })).toBe(true);
    expect(await verifyWebhookSignature({ payload: new TextEncoder().encode(body), header, secret, now })).toBe(true);
  });

  it('refuses the signature made with another secret', async () => {
    const header = `t=${t},v1=${sign(other, t, body)}`;
    expect(await verifyWebhookSignature({ payload: body, header, secret, now })).toBe(false);
  });

  it('refuses a tampered body, and a tampered timestamp', async () => {
    const header = `t=${t},v1=${sign(secret, t, body)}`;
    expect(await verifyWebhookSignature({ payload: body.replace('paid', 'cancelled'), header, secret, now })).toBe(false);
    expect(await verifyWebhookSignature({ payload: body, header: `t=${t + 1},v1=${sign(secret, t, body)}`, secret, now })).toBe(
      false,
    );
  });

  it('refuses a timestamp older (or newer) than the tolerance', async () => {
    const old = t - 400;
    expect(await verifyWebhookSignature({ payload: body, header: `t=${old},v1=${sign(secret, old, body)}`, secret, now })).toBe(
      false,
    );
    expect(
      await verifyWebhookSignature({
        payload: body,
        header: `t=${old},v1=${sign(secret, old, body)}`,
        secret,
        now,
        toleranceSeconds: 600,
      }),
    ).toBe(true);
    const future = t + 400;
    expect(
      await verifyWebhookSignature({ payload: body, header: `t=${future},v1=${sign(secret, future, body)}`, secret, now }),
    ).toBe(false);
  });

  it('accepts either of two v1 values sent during a rotation, with either secret', async () => {
    const header = `t=${t},v1=${sign(other, t, body)},v1=${sign(secret, t, body)}`;
    expect(await verifyWebhookSignature({ payload: body, header, secret, now })).toBe(true);
    expect(await verifyWebhookSignature({ payload: body, header, secret: other, now })).toBe(true);
    expect(
      await verifyWebhookSignature({ payload: body, header: `t=${t},v1=${sign(other, t, body)}`, secret: [secret, other], now }),
    ).toBe(true);
    expect(await verifyWebhookSignature({ payload: body, header, secret: 'whsec_neither', now })).toBe(false);
  });

  it('answers false for malformed headers', async () => {
    const good = sign(secret, t, body);
    for (const header of [
      undefined,
      '',
      'garbage',
      `v1=${good}`,
      `t=${t}`,
      `t=abc,v1=${good}`,
      `t=${t},t=${t},v1=${good}`,
      `t=${t},v1=${good.slice(2)}`,
      `t=${t},v0=${good}`,
      // Far more signatures than we ever send (two during a rotation), the good one last.
      `t=${t},${Array.from({ length: 10 }, () => `v1=${'0'.repeat(64)}`).join(',')},v1=${good}`,
    ]) {
      expect(await verifyWebhookSignature({ payload: body, header, secret, now })).toBe(false);
    }
  });
});
