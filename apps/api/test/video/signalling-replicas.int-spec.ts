import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap';
import { createTestApp, type TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { baseOf, SignallingDriver } from './signalling-support';

/**
 * Two API replicas on one database: a message posted to one reaches a stream held by the other
 * (PostgreSQL LISTEN/NOTIFY), and a replica shutting down ends its streams cleanly.
 * On its own in this file: Passport keeps its strategies in a process-wide registry, so once the
 * second app has closed, sign-ins on the first would go through the closed app's services.
 */
describe('video signalling relay across replicas', () => {
  let t: TestApp;
  let d: SignallingDriver;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: process.env.SIG_LOG ?? 'silent' });
    d = new SignallingDriver(t, baseOf(t.app));
  });
  afterEach(() => d.closeAll());
  afterAll(async () => {
    await t?.close();
  });

  it('delivers a message sent through one replica to a stream open on another (LISTEN/NOTIFY)', async () => {
    const { sessionId, client, lawyer, identities } = await d.callScene();
    let other: NestFastifyApplication | undefined;
    try {
      other = await createApp(t.config, t.db.url, { clock: t.clock });
      await other.listen(0, '127.0.0.1');
      const otherBase = baseOf(other);
      const lawyerOnB = await d.stream(sessionId, lawyer, { at: otherBase });
      const clientOnA = await d.stream(sessionId, client);
      await lawyerOnB.waitFor((c) => c.ready);
      await clientOnA.waitFor((c) => c.ready);
      // The peer-joined written on A reached the stream on B.
      await lawyerOnB.waitFor((c) => c.signals.some((s) => s.type === 'peer-joined' && s.data.identity === identities.client));

      const a = await d.sendOk(sessionId, client, { type: 'offer', data: { sdp: 'via A' } });
      const b = await d.sendOk(sessionId, lawyer, { type: 'answer', data: { sdp: 'via B' } }, otherBase);
      await lawyerOnB.waitFor((c) => c.fromPeer.length, (n) => n >= 1);
      await clientOnA.waitFor((c) => c.fromPeer.length, (n) => n >= 1);
      expect(lawyerOnB.fromPeer).toEqual([{ id: a, from: identities.client, type: 'offer', data: { sdp: 'via A' } }]);
      expect(clientOnA.fromPeer).toEqual([{ id: b, from: identities.lawyer, type: 'answer', data: { sdp: 'via B' } }]);

      // Shutting replica B down ends its stream cleanly and records that the lawyer left.
      await other.close();
      other = undefined;
      await lawyerOnB.waitFor((c) => c.ended);
      await eventually(() => d.attendance(sessionId, client), (rows) => rows.some((r) => r.role === 'LAWYER' && r.event === 'left'));
      await clientOnA.waitFor((c) => c.signals.some((s) => s.type === 'peer-left' && s.data.identity === identities.lawyer));
    } finally {
      await other?.close();
    }
  });
});
