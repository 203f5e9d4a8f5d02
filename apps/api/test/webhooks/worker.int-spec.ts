import { verifyWebhookSignature } from '@lm/api-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebhookEvents } from '../../src/modules/webhooks/webhook-events.service';
import { signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { sessionPaidData, WebhookEventSchemas } from './event-schema';
import { Receiver } from './receiver';

/** With the workers running (JOBS_ENABLED), the `webhooks.deliver` job sent with the event delivers it, once. */
describe('webhook delivery through the pg-boss worker', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  it('delivers a committed event without any sweep, exactly once', async () => {
    const owner = await signedIn(t);
    const created = await request(t.server)
      .post('/api/webhooks/endpoints')
      .set(bearer(owner.token))
      .send({ url: receiver.url('/worker'), eventTypes: ['session.paid'] })
      .expect(201);
    await t.app.get(DataSource).transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(42) }],
      }),
    );
    await eventually(() => receiver.at('/worker').length === 1);
    const got = receiver.at('/worker')[0]!;
    expect(JSON.parse(got.body)).toMatchObject({ type: 'session.paid', data: sessionPaidData(42) });
    expect(new WebhookEventSchemas().problems(got.body)).toEqual([]);
    expect(
      await verifyWebhookSignature({
        payload: got.body,
        header: got.headers['lexmarket-signature'] as string,
        secret: created.body.secret,
      }),
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(receiver.at('/worker')).toHaveLength(1);
  });
});
