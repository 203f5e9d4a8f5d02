import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { VideoProvider } from '../../src/modules/video/provider/video-provider';
import { createBookableLawyer, createSession, scheduleDirectly, signedIn, asCaller, type Caller } from '../factories/sessions';
import { createTestApp, type TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { startTwilioFake, TWILIO_TEST_CREDENTIALS, type TwilioFake } from './twilio-fake-server';
import { consent, deliver, endCall, join, twilioEnv } from './twilio-test-support';

interface NamedSession {
  sessionId: string;
  client: Caller;
  lawyer: Caller;
  /** Everything that identifies the two people: names (and their words), emails (and local parts), user ids. */
  personal: string[];
}

/** A paid session starting in 5 minutes between a client and a lawyer with distinctive names. */
async function namedSession(t: TestApp): Promise<NamedSession> {
  const tag = randomBytes(3).toString('hex');
  const lawyer = await createBookableLawyer(t, { displayName: `Zofia Wiśniewska-${tag}` });
  const client = await signedIn(t, { displayName: `Hiroshi Tanaka-${tag}` });
  const session = await createSession(t, { clientId: client.id, lawyer });
  await scheduleDirectly(t, session.id, new Date(t.clock.nowMs() + 5 * 60_000));
  const users: { email: string; display_name: string; id: string }[] = await t.app
    .get(DataSource)
    .query(`SELECT id, email, display_name FROM users WHERE id = ANY($1)`, [[client.id, lawyer.id]]);
  expect(users).toHaveLength(2);
  // Words of the names too (not the random tag: six hex digits could turn up inside a random sid by chance).
  const words = (name: string) => name.split(/[\s-]+/).filter((w) => w.length >= 4 && w !== tag);
  const personal = users.flatMap((u) => [u.id, u.email, u.email.split('@')[0]!, u.display_name, ...words(u.display_name)]);
  return { sessionId: session.id, client, lawyer: asCaller(lawyer), personal };
}

/** Case-insensitive, also URL- and form-encoded: does `haystack` mention any of `needles`? */
function mentioned(haystack: string, needles: string[]): string[] {
  const variants = (n: string) => [n, encodeURIComponent(n), encodeURIComponent(n).replace(/%20/g, '+')].map((v) => v.toLowerCase());
  const h = haystack.toLowerCase();
  return needles.filter((n) => variants(n).some((v) => h.includes(v)));
}

/** Records every call the app makes on its VideoProvider, with its arguments. */
function spyOnProvider(t: TestApp): unknown[][] {
  const provider = t.app.get(VideoProvider);
  const calls: unknown[][] = [];
  for (const method of ['ensureRoom', 'issueToken', 'setRecording', 'endRoom', 'requestComposition', 'deleteProviderCopies'] as const) {
    const original = provider[method].bind(provider) as (...args: unknown[]) => unknown;
    jest.spyOn(provider, method).mockImplementation(((...args: unknown[]) => {
      calls.push([method, ...args]);
      return original(...args);
    }) as never);
  }
  return calls;
}

/**
 * Issue 16: "video room names and provider identities stay opaque ids (no names or emails reach
 * the video provider)". Whatever the app hands to either provider — the arguments of every
 * provider call, every request the real twilio SDK sends to (a fake of) Twilio's API, the join
 * tokens' grants, the callback URLs Twilio is told to call — mentions no name, email or user id
 * of the two participants; rooms and identities are random opaque ids.
 */
describe('video provider opacity: no names, emails or user ids reach the provider', () => {
  describe('Twilio (real SDK against the local fake of its REST API)', () => {
    let fake: TwilioFake;
    let t: TestApp;

    beforeAll(async () => {
      fake = await startTwilioFake();
      t = await createTestApp(twilioEnv(fake));
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('rooms, recording rules, compositions, media and deletions, tokens and callbacks carry only opaque ids', async () => {
      const calls = spyOnProvider(t);
      const s = await namedSession(t);
      const before = fake.requests.length;

      const joins = [await join(t, s.client, s.sessionId, false).expect(200), await join(t, s.lawyer, s.sessionId, true).expect(200)];
      await consent(t, s.client, s.sessionId, true).expect(200);
      await endCall(t, s.lawyer, s.sessionId).expect(200);
      const roomName = joins[0]!.body.roomName as string;
      const room = fake.roomByName(roomName)!;
      // Twilio's callbacks echo what it was given (room name, identities); the app accepts them.
      for (const [i, j] of joins.entries()) {
        await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', j.body.identity as string, `PA${i}${'0'.repeat(31)}`)).expect(200);
      }
      await deliver(t, fake, 'rooms', fake.roomEvent(room, 'room-ended')).expect(200);
      const composition = [...fake.compositions.values()].find((c) => c.roomSid === room.sid)!;
      fake.completeComposition(composition.sid);
      await deliver(t, fake, 'compositions', fake.compositionEvent(composition, 'composition-available')).expect(200);
      await eventually(
        async () => (await t.app.get(DataSource).query(`SELECT provider_deleted_at AS d FROM recordings WHERE provider_sid = $1`, [composition.sid]))[0],
        (r) => Boolean(r?.d),
        20_000,
      );

      const sent = fake.requests.slice(before);
      // The whole journey reached Twilio: room, rules, end, composition, media, deletions.
      expect(new Set(sent.map((r) => `${r.method} ${r.path.replace(/(RM|CJ|RT)[0-9a-f]{32}/g, '<sid>')}`))).toEqual(
        new Set([
          'POST /v1/Rooms',
          'POST /v1/Rooms/<sid>/RecordingRules',
          'POST /v1/Rooms/<sid>',
          'POST /v1/Compositions',
          'GET /v1/Compositions/<sid>/Media',
          'GET /media/<sid>',
          'DELETE /v1/Compositions/<sid>',
          'GET /v1/Rooms/<sid>/Recordings',
        ]),
      );
      const tokens = joins.map((j) => jwt.verify(j.body.token as string, TWILIO_TEST_CREDENTIALS.apiKeySecret, { algorithms: ['HS256'] }));
      const everything = JSON.stringify({ sent, calls, tokens, rooms: [...fake.rooms.values()].filter((r) => r.sid === room.sid), composition });
      expect(mentioned(everything, s.personal)).toEqual([]);
      expect(everything).not.toContain(s.sessionId);

      expect(roomName).toMatch(/^lm_[0-9a-f]{32}$/);
      expect(sent.find((r) => r.path === '/v1/Rooms')!.params.UniqueName).toBe(roomName);
      for (const [i, token] of tokens.entries()) {
        const grants = (token as jwt.JwtPayload).grants as { identity: string; video: { room: string } };
        expect(grants).toEqual({ identity: joins[i]!.body.identity, video: { room: roomName } });
        expect(grants.identity).toMatch(/^p_[0-9a-f]{32}$/);
      }
      const callbackUrls = sent.flatMap((r) => (r.params.StatusCallback ? [r.params.StatusCallback] : []));
      expect(callbackUrls.sort()).toEqual(['https://api.example.test/api/webhooks/twilio/compositions', 'https://api.example.test/api/webhooks/twilio/rooms']);
    });

    it('the check can fail: a name in a request would be found', () => {
      expect(mentioned(JSON.stringify({ params: { UniqueName: encodeURIComponent('Zofia Wiśniewska') } }), ['Zofia Wiśniewska'])).toEqual(['Zofia Wiśniewska']);
      expect(mentioned('Identity=hiroshi.tanaka%40example.test', ['hiroshi.tanaka@example.test'])).toEqual(['hiroshi.tanaka@example.test']);
    });
  });

  describe('the built-in peer-to-peer provider', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('every provider call and the join answers carry only opaque room names and identities', async () => {
      const calls = spyOnProvider(t);
      const s = await namedSession(t);
      const joins = [await join(t, s.client, s.sessionId, true).expect(200), await join(t, s.lawyer, s.sessionId, true).expect(200)];
      await endCall(t, s.lawyer, s.sessionId).expect(200);

      expect(calls.map((c) => c[0])).toEqual(expect.arrayContaining(['ensureRoom', 'issueToken', 'setRecording', 'endRoom']));
      expect(mentioned(JSON.stringify(calls), s.personal)).toEqual([]);
      expect(JSON.stringify(calls)).not.toContain(s.sessionId);
      for (const j of joins) {
        expect(j.body.provider).toBe('p2p');
        expect(j.body.roomName).toMatch(/^lm_[0-9a-f]{32}$/);
        expect(j.body.identity).toMatch(/^p_[0-9a-f]{32}$/);
      }
      const ensure = calls.find((c) => c[0] === 'ensureRoom')![1] as { roomName: string };
      expect(ensure.roomName).toBe(joins[0]!.body.roomName);
    });
  });
});
