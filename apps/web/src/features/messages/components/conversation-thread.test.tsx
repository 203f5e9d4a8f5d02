import type { DecryptedMessage, HistoryItem, WireMessage } from '@lm/e2ee';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../../test/render';
import { ANA, CONVERSATION, ME, conversationDetail, fakeServices, fakeSession, withE2ee } from '../messages.fixtures';
import { ConversationThread } from './conversation-thread';

vi.mock('../../auth/use-time-zone', () => ({ useTimeZone: () => ({ zone: 'UTC', locale: 'en-GB' }) }));

const message = (id: string, senderUserId: string, createdAt: string, text: string): DecryptedMessage => ({
  id,
  senderUserId,
  senderDeviceId: 'd',
  epoch: 1,
  createdAt,
  text,
  attachments: [],
  mine: senderUserId === ME,
});

const wire = (id: string, createdAt: string): WireMessage => ({
  id,
  conversationId: CONVERSATION,
  senderUserId: ANA,
  senderDeviceId: 'd-ana',
  epoch: 1,
  nonce: 'n',
  ciphertext: 'c',
  signature: 's',
  attachmentIds: [],
  createdAt,
});

function setUp(pages: { items: HistoryItem[]; nextCursor: string | null }[], detail = conversationDetail()) {
  const fake = fakeServices();
  const session = fakeSession();
  for (const page of pages) session.history.mockResolvedValueOnce(page);
  fake.client.conversation.mockResolvedValue(session);
  fake.transport.getConversation.mockResolvedValue(detail);
  renderPage(withE2ee(fake.services, <ConversationThread conversationId={CONVERSATION} />));
  return { fake, session };
}

describe('ConversationThread', () => {
  it('shows the history by day, mine as sent or read, and hides a message that fails verification', async () => {
    setUp(
      [
        {
          // Newest first, as the library pages it.
          items: [
            message('m4', ME, '2030-03-05T10:05:00.000Z', 'And the lease?'),
            message('m3', ME, '2030-03-05T10:00:00.000Z', 'Here is my question'),
            { id: 'm2', senderUserId: ANA, createdAt: '2030-03-04T09:30:00.000Z', error: 'SIGNATURE_INVALID' },
            message('m1', ANA, '2030-03-04T09:00:00.000Z', 'Hello, how can I help?'),
          ],
          nextCursor: null,
        },
      ],
      conversationDetail({ counterpartReadUpTo: { messageId: 'm3', at: '2030-03-05T10:01:00.000Z' } }),
    );
    const log = await screen.findByRole('log', { name: 'Messages with Ana López' });
    await within(log).findByText('Hello, how can I help?');
    expect(within(log).getByText(/Monday, 4 March 2030/)).toBeVisible();
    expect(within(log).getByText(/Tuesday, 5 March 2030/)).toBeVisible();

    const bubbles = within(log).getAllByTestId('message');
    expect(bubbles.map((b) => b.textContent)).toEqual([
      expect.stringContaining('Hello, how can I help?'),
      expect.stringContaining('This message could not be verified and is hidden SIGNATURE_INVALID'),
      expect.stringMatching(/Here is my question.*Read/),
      expect.stringMatching(/And the lease\?.*Sent/),
    ]);
    expect(screen.queryByRole('button', { name: 'Load earlier' })).not.toBeInTheDocument();
  });

  it('loads earlier pages on demand', async () => {
    const { session } = setUp([
      { items: [message('m2', ANA, '2030-03-05T10:00:00.000Z', 'Newer')], nextCursor: 'cursor-1' },
      { items: [message('m1', ANA, '2030-03-01T10:00:00.000Z', 'Older')], nextCursor: null },
    ]);
    await screen.findByText('Newer');
    await userEvent.click(screen.getByRole('button', { name: 'Load earlier' }));
    expect(await screen.findByText('Older')).toBeVisible();
    expect(session.history).toHaveBeenLastCalledWith({ limit: 30, before: 'cursor-1' });
    const texts = screen.getAllByTestId('message').map((b) => b.textContent);
    expect(texts[0]).toContain('Older');
    expect(screen.queryByRole('button', { name: 'Load earlier' })).not.toBeInTheDocument();
  });

  it('a live message of this conversation is fetched, received and shown; then marked read', async () => {
    const { fake, session } = setUp([{ items: [message('m1', ANA, '2030-03-05T10:00:00.000Z', 'First')], nextCursor: null }]);
    await screen.findByText('First');
    await waitFor(() => expect(session.markRead).toHaveBeenCalledWith('m1'));
    await waitFor(() => expect(fake.client.events).toHaveBeenCalled());

    fake.transport.listMessages.mockResolvedValueOnce({
      items: [wire('m2', '2030-03-05T10:02:00.000Z'), wire('m1', '2030-03-05T10:00:00.000Z')],
      nextCursor: null,
    });
    session.receive.mockImplementation((m: WireMessage) =>
      Promise.resolve(m.id === 'm1' ? null : message(m.id, ANA, m.createdAt, 'Live hello')),
    );
    fake.emit({ type: 'message', conversationId: 'another-conversation', messageId: 'x' });
    fake.emit({ type: 'message', conversationId: CONVERSATION, messageId: 'm2' });
    expect(await screen.findByText('Live hello')).toBeVisible();
    expect(fake.transport.listMessages).toHaveBeenCalledTimes(1);
    expect(session.receive).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(session.markRead).toHaveBeenLastCalledWith('m2'));
  });

  it('sends what is written, shows it as sending, then sent', async () => {
    const { session } = setUp([{ items: [], nextCursor: null }]);
    let resolve: (m: DecryptedMessage) => void = () => {};
    session.send.mockReturnValue(new Promise<DecryptedMessage>((r) => (resolve = r)));
    expect(await screen.findByText('No messages yet')).toBeVisible();

    await userEvent.type(screen.getByRole('textbox', { name: 'Message to Ana López' }), 'Can we talk on Friday?{Enter}');
    const pending = await screen.findByTestId('message');
    expect(pending).toHaveTextContent('Can we talk on Friday?');
    expect(pending).toHaveTextContent('Sending…');
    expect(session.send).toHaveBeenCalledWith({ text: 'Can we talk on Friday?', attachments: [] });

    resolve(message('m9', ME, '2030-03-05T10:00:00.000Z', 'Can we talk on Friday?'));
    await waitFor(() => expect(screen.getByTestId('message')).toHaveTextContent(/Can we talk on Friday\?.*Sent/));
  });

  it('a refused send can be retried', async () => {
    const { session } = setUp([{ items: [], nextCursor: null }]);
    session.send.mockRejectedValueOnce(new (await import('@lm/e2ee')).E2eeError('IDENTITY_CHANGED', 'changed'));
    session.send.mockResolvedValueOnce(message('m9', ME, '2030-03-05T10:00:00.000Z', 'Hi'));
    await userEvent.type(await screen.findByRole('textbox', { name: 'Message to Ana López' }), 'Hi{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Not sent: The other party’s security keys changed.');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByTestId('message')).toHaveTextContent(/Hi.*Sent/));
    expect(session.send).toHaveBeenCalledTimes(2);
  });

  it('warns when the other side’s keys changed, until they are accepted', async () => {
    const { fake } = setUp([{ items: [], nextCursor: null }]);
    fake.client.safetyNumber.mockResolvedValue({
      digits: '1'.repeat(60),
      groups: Array(12).fill('11111'),
      identityChanged: true,
    });
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Ana López’s security keys changed');
    fake.client.safetyNumber.mockResolvedValue({
      digits: '1'.repeat(60),
      groups: Array(12).fill('11111'),
      identityChanged: false,
    });
    await userEvent.click(within(banner).getByRole('button', { name: 'Accept new keys' }));
    expect(fake.client.acceptIdentityChange).toHaveBeenCalledWith(ANA);
    await waitFor(() => expect(screen.queryByText('Ana López’s security keys changed')).not.toBeInTheDocument());
  });

  it('cannot send before the other side has set up secure messaging', async () => {
    const { fake } = setUp([{ items: [], nextCursor: null }]);
    fake.client.safetyNumber.mockRejectedValue(new (await import('@lm/e2ee')).E2eeError('NOT_SET_UP', 'not yet'));
    expect(await screen.findByText(/Ana López has not set up secure messaging yet/)).toBeVisible();
    expect(screen.getByRole('textbox', { name: 'Message to Ana López' })).toBeDisabled();
  });
});
