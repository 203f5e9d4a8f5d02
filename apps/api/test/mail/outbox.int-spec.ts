import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { EmailMessage } from '../../src/modules/mail/email-message.entity';
import { MailService } from '../../src/modules/mail/mail.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that records what it receives (or rejects it on demand). */
async function startSmtp(): Promise<{ url: string; received: Received[]; reject: { next: boolean }; stop(): Promise<void> }> {
  const received: Received[] = [];
  const reject = { next: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        if (reject.next) {
          reject.next = false;
          const err = new Error('mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          return callback(err);
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, reject, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

const email = (to: string) => ({ to, template: 'test-notice', subject: 'Your consultation', text: 'Hello from LexMarket.\n' });

describe('Email outbox with SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  let mail: MailService;
  let ds: DataSource;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'LexMarket <no-reply@lexmarket.test>' });
    mail = t.app.get(MailService);
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const status = (id: string) => ds.getRepository(EmailMessage).findOneByOrFail({ id });

  it('sends a message enqueued in a committed transaction, once', async () => {
    const message = await ds.transaction((m) => mail.enqueue(m, email('client@example.com')));
    const sent = await eventually(
      () => status(message.id),
      (m) => m.status !== 'PENDING',
    );
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    const delivered = smtp.received.filter((r) => r.to.includes('client@example.com'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.from).toBe('no-reply@lexmarket.test');
    expect(delivered[0]?.raw).toContain('Subject: Your consultation');
    // A duplicate delivery of the same job (at-least-once queues) sends nothing more.
    await mail.deliver(message.id);
    expect(smtp.received.filter((r) => r.to.includes('client@example.com'))).toHaveLength(1);
  });

  it('an email enqueued in a transaction that rolls back is never written nor sent', async () => {
    await expect(
      ds.transaction(async (m) => {
        await mail.enqueue(m, email('ghost@example.com'));
        throw new Error('registration failed');
      }),
    ).rejects.toThrow('registration failed');
    expect(await ds.getRepository(EmailMessage).countBy({ toAddress: 'ghost@example.com' })).toBe(0);
    expect(
      await ds.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND state <> 'completed' AND data->>'id' NOT IN (SELECT id::text FROM email_outbox)`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('records a refused delivery and leaves the message pending for a retry', async () => {
    const message = await ds.transaction(async (m) => {
      smtp.reject.next = true;
      // Insert the row only; drive delivery by hand so the retry timing does not matter.
      return m
        .getRepository(EmailMessage)
        .save(
          m
            .getRepository(EmailMessage)
            .create({
              toAddress: 'bounce@example.com',
              template: 't',
              subject: 's',
              bodyText: 'b',
              status: 'PENDING',
              attempts: 0,
            }),
        );
    });
    await expect(mail.deliver(message.id)).rejects.toThrow(/retried/);
    expect(await status(message.id)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('550') });
    await mail.deliver(message.id);
    expect(await status(message.id)).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });
});

describe('Email outbox without SMTP (embedded mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('captures messages for admins instead of sending them, and lists them newest first', async () => {
    const mail = t.app.get(MailService);
    const ds = t.app.get(DataSource);
    const first = await ds.transaction((m) => mail.enqueue(m, email('a@example.com')));
    const second = await ds.transaction((m) => mail.enqueue(m, email('b@example.com')));
    for (const id of [first.id, second.id]) {
      await eventually(
        () => ds.getRepository(EmailMessage).findOneByOrFail({ id }),
        (m) => m.status === 'CAPTURED',
      );
    }
    const page = await mail.list({ status: 'CAPTURED', page: 1, pageSize: 10 });
    expect(page.total).toBe(2);
    expect(page.items.map((m) => m.toAddress)).toEqual(['b@example.com', 'a@example.com']);
    const onlyA = await mail.list({ to: 'A@EXAMPLE.COM', page: 1, pageSize: 10 });
    expect(onlyA.items.map((m) => m.id)).toEqual([first.id]);
  });
});
