import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHttpTransport, E2eeClient, MemoryKeyStore, utf8, type E2eeTransport } from '@lm/e2ee';
import type { FastifyInstance } from 'fastify';
import { DEMO_API_ORIGIN, demoSignIn, inProcessFetch } from './demo-api-fetch';

/** One demo account the messaging demo acts as: signed in through the API with its password. */
export interface DemoMessagingAccount {
  id: string;
  email: string;
  password: string;
}

export type DemoMessaging =
  | {
      kind: 'seeded';
      conversationId: string;
      messages: number;
      /** Each user's recovery code: the only way to unlock the seeded keys in a browser. */
      clientRecoveryCode: string;
      lawyerRecoveryCode: string;
    }
  | { kind: 'skipped' | 'failed'; reason: string };

interface DemoUser {
  email: string;
  e2ee: E2eeClient;
  transport: E2eeTransport;
  signOut(): Promise<void>;
}

const SEED_DEVICE_LABEL = 'Demo seeding (server)';

/**
 * The demo client's and lawyer's end-to-end encrypted conversation: both set up their keys, the
 * client writes about their case with an attachment, the lawyer answers and writes the agenda of
 * the booked session. All of it goes through @lm/e2ee (the SPA's own library) and the public
 * messaging API, so the server stores exactly what a browser would have sent: ciphertext.
 *
 * Unlike a real user's, these keys are made in the server process, which is what lets the demo
 * show a conversation at first start. They do not outlive the seeding: the seed devices are
 * revoked at the end and the private keys were only ever in memory, so the only way in is the
 * recovery code printed once in the start-up banner (Messages → Unlock on this device), the same
 * restore path as a user's new browser.
 */
@Injectable()
export class DemoMessagingSeeder {
  private readonly logger = new Logger(DemoMessagingSeeder.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async seed(o: {
    client: DemoMessagingAccount;
    lawyer: DemoMessagingAccount;
    scheduledSessionId: string;
  }): Promise<DemoMessaging> {
    const fetch = inProcessFetch(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
    const signedIn: DemoUser[] = [];
    try {
      const client = await this.signIn(o.client, fetch);
      signedIn.push(client);
      const lawyer = await this.signIn(o.lawyer, fetch);
      signedIn.push(lawyer);
      const clientRecoveryCode = (await client.e2ee.setUp(SEED_DEVICE_LABEL)).recoveryCode;
      const lawyerRecoveryCode = (await lawyer.e2ee.setUp(SEED_DEVICE_LABEL)).recoveryCode;

      const conversationId = await this.conversationWith(client.transport, o.lawyer.id);
      const asClient = await client.e2ee.conversation(conversationId);
      const asLawyer = await lawyer.e2ee.conversation(conversationId);
      const thread: [typeof asClient, string, { name: string; type: string; bytes: Uint8Array }?][] = [
        [
          asClient,
          'Hello, and thank you for taking my case. My employer ended my contract on 14 November with two days’ notice ' +
            'and no written reason. I have put the dates in the attached timeline.',
          { name: 'timeline.txt', type: 'text/plain', bytes: utf8(TIMELINE) },
        ],
        [
          asLawyer,
          'Thank you, I have read the timeline. Please have your employment contract and the emails about the termination ' +
            'at hand for our session. Everything in this conversation is end-to-end encrypted: only you and I can read it.',
        ],
        [asClient, 'I will. One more question: is the non-compete clause in my contract enforceable in New York?'],
        [
          asLawyer,
          'It depends on its scope and on your role; I have put it on the agenda of our session, and we will go through it together.',
        ],
      ];
      for (const [session, text, attachment] of thread)
        await session.send({ text, ...(attachment ? { attachments: [attachment] } : {}) });
      await asLawyer.saveNote(o.scheduledSessionId, 'AGENDA', AGENDA);

      this.logger.log(
        `Seeded an encrypted conversation of the demo client and lawyer (${thread.length} messages, 1 attachment, an agenda)`,
      );
      return { kind: 'seeded', conversationId, messages: thread.length, clientRecoveryCode, lawyerRecoveryCode };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`Demo messages not seeded: ${reason}`);
      return { kind: 'failed', reason: `${reason} (the demo users can replace their keys under Messages)` };
    } finally {
      // Done or not, the seeding's keys and sign-ins go no further: each user gets in again with
      // their recovery code only, and no seed device stays a recipient of later epochs.
      for (const user of signedIn) await this.leave(user);
    }
  }

  /** Revokes the user's active devices (all the seeding's) and signs out; failures are logged, not thrown. */
  private async leave(user: DemoUser): Promise<void> {
    try {
      if ((await user.e2ee.status()) !== 'needs-setup') {
        for (const d of (await user.e2ee.listDevices()).filter((d) => d.revokedAt === null))
          await user.e2ee.revokeDevice(d.deviceId);
      }
    } catch (e) {
      this.logger.warn(`Demo seed devices of ${user.email} not revoked: ${e instanceof Error ? e.message : String(e)}`);
    }
    await user.signOut().catch((e: unknown) => this.logger.warn(`Demo seeding sign-in of ${user.email} not ended: ${String(e)}`));
  }

  /** Signs in through the API, as the SPA does, and gives the account's E2EE client (keys in memory only). */
  private async signIn(account: DemoMessagingAccount, fetch: typeof globalThis.fetch): Promise<DemoUser> {
    const { accessToken, signOut } = await demoSignIn(fetch, account);
    const transport = createHttpTransport({ baseUrl: DEMO_API_ORIGIN, getAccessToken: () => accessToken, fetch });
    return {
      email: account.email,
      e2ee: new E2eeClient({ userId: account.id, transport, store: new MemoryKeyStore() }),
      transport,
      signOut,
    };
  }

  /** The client's conversation with the lawyer (opened when their first session was paid). */
  private async conversationWith(transport: E2eeTransport, lawyerId: string): Promise<string> {
    let cursor: string | undefined;
    do {
      const page = await transport.listConversations({ cursor, limit: 50 });
      const found = page.items.find((c) => c.counterpart.userId === lawyerId);
      if (found) return found.id;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    throw new Error('the demo client has no conversation with the demo lawyer (no paid session)');
  }
}

const TIMELINE = [
  'Timeline of my dismissal',
  '',
  '2021-03-01  Hired as operations coordinator (written contract, includes a non-compete clause).',
  '2026-10-20  Raised unpaid overtime with my manager by email.',
  '2026-11-12  Told in a call that my role "was being reviewed".',
  '2026-11-14  Termination letter, effective 2026-11-16; no reason given.',
  '2026-11-16  Last day; final pay slip does not include accrued vacation.',
  '',
].join('\n');

const AGENDA = [
  '1. The termination: notice given, reasons, and the overtime complaint three weeks before.',
  '2. Final pay: accrued vacation and overtime owed.',
  '3. The non-compete clause: scope, duration, and whether it binds you.',
  '4. Next steps and what to keep (emails, pay slips, the letter).',
].join('\n');
