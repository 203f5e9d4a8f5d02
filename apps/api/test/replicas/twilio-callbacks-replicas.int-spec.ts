import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { createTestApp, type TestApp } from '../setup/test-app';
import { startTwilioFake, type TwilioFake } from '../video/twilio-fake-server';
import { deliver, join, twilioEnv, videoSession, writtenCounts } from '../video/twilio-test-support';

/**
 * Issue 18, "Two replicas": Twilio's status callbacks (Twilio mode; the two-process spec runs
 * peer-to-peer calls) sent to two API replicas on one database, the same callback to both at
 * once, are stored and applied once. Two Nest apps in this process; on its own in this file
 * (Passport's strategy registry is process-wide, see signalling-replicas.int-spec.ts).
 */
describe('Twilio callbacks across two replicas', () => {
  let fake: TwilioFake;
  let t: TestApp;
  let other: NestFastifyApplication;
  let sql: DataSource;
  /** The same TestApp seen through replica B's HTTP server. */
  let onB: TestApp;

  beforeAll(async () => {
    fake = await startTwilioFake();
    t = await createTestApp({ ...twilioEnv(fake), JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
    other = await createApp(t.config, t.db.url, { clock: t.clock });
    await other.listen(0, '127.0.0.1');
    onB = { ...t, app: other, server: other.getHttpServer() };
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
    await fake?.close();
  });

  it('the same participant-connected and room-ended, each sent 10 times to each replica at once → one stored callback each, one attendance row, one COMPLETED transition', async () => {
    const s = await videoSession(t);
    const client = (await join(t, s.client, s.sessionId, false).expect(200)).body.identity as string;
    const res = await join(onB, s.lawyer, s.sessionId, false).expect(200);
    const room = fake.roomByName(res.body.roomName)!;

    const connected = fake.participantEvent(room, 'participant-connected', client, 'PA' + '7'.repeat(32));
    const before = await writtenCounts(t);
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(i % 2 ? onB : t, fake, 'rooms', connected)));
    expect(first.map((r) => r.status)).toEqual(Array(20).fill(200));
    const after = await writtenCounts(t);
    expect({ callbacks: after.callbacks - before.callbacks, attendance: after.attendance - before.attendance }).toEqual({
      callbacks: 1,
      attendance: 1,
    });

    const ended = fake.roomEvent(room, 'room-ended');
    const second = await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(i % 2 ? onB : t, fake, 'rooms', ended)));
    expect(second.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await sql.query(`SELECT status FROM legal_sessions WHERE id = $1`, [s.sessionId])).toEqual([{ status: 'COMPLETED' }]);
    expect(
      await sql.query(`SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND action = 'complete'`, [
        s.sessionId,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await sql.query(`SELECT count(*)::int AS n FROM video_callbacks WHERE room_sid = $1`, [room.sid])).toEqual([{ n: 2 }]);
    expect(
      await sql.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'video.room_ended'`, [
        s.sessionId,
      ]),
    ).toEqual([{ n: 1 }]);
  });
});
