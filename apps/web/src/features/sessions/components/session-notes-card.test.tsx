import { E2eeError } from '@lm/e2ee';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../../test/render';
import { ANA, CONVERSATION, ME, fakeServices, fakeSession } from '../../messages/messages.fixtures';
import { SessionNotesCard } from './session-notes-card';

vi.mock('../../auth/use-time-zone', () => ({ useTimeZone: () => ({ zone: 'UTC', locale: 'en-GB' }) }));
vi.mock('../../auth/use-current-user', () => ({ useCurrentUser: () => ({ user: { id: ME }, isLoading: false }) }));

const services = { current: fakeServices() };
// The card makes its own provider for the signed-in user: give it the fake client.
vi.mock('../../messages/e2ee-client', async (original) => ({
  ...(await original<typeof import('../../messages/e2ee-client')>()),
  e2eeServicesFor: () => services.current.services,
}));

const note = (text: string, version: number, authorUserId = ME) => ({
  text,
  version,
  updatedAt: '2030-03-05T10:00:00.000Z',
  authorUserId,
});

function setUp() {
  const fake = fakeServices();
  services.current = fake;
  const session = fakeSession();
  fake.client.conversation.mockResolvedValue(session);
  return { fake, session };
}

describe('SessionNotesCard', () => {
  it('locked until this device has keys, with the way to set them up', async () => {
    const { fake } = setUp();
    fake.client.status.mockResolvedValue('needs-setup');
    renderPage(<SessionNotesCard sessionId="s1" counterpartName="Ana López" />);
    const card = screen.getByRole('region', { name: 'Agenda & notes' });
    expect(await within(card).findByRole('link', { name: 'Set up secure messaging' })).toHaveAttribute('href', '/messages');
    expect(within(card).queryByRole('textbox')).not.toBeInTheDocument();
    expect(fake.client.conversation).not.toHaveBeenCalled();
  });

  it('shows the shared agenda and the private note, and saves one', async () => {
    const { session, fake } = setUp();
    session.readNotes.mockResolvedValue({ agenda: note('Residence permit timeline', 2, ANA), private: null });
    renderPage(<SessionNotesCard sessionId="s1" counterpartName="Ana López" />);
    const agenda = await screen.findByRole('textbox', { name: 'Agenda' });
    expect(agenda).toHaveValue('Residence permit timeline');
    expect(screen.getByText(/by Ana López/)).toBeVisible();
    expect(fake.transport.getNotes).toHaveBeenCalledWith('s1');
    expect(fake.client.conversation).toHaveBeenCalledWith(CONVERSATION);

    const mine = screen.getByRole('textbox', { name: 'Private note' });
    await userEvent.type(mine, 'Ask about fees');
    expect(screen.getAllByRole('status').some((s) => s.textContent === 'Unsaved changes')).toBe(true);
    session.readNotes.mockResolvedValue({ agenda: note('Residence permit timeline', 2, ANA), private: null });
    await userEvent.click(screen.getByRole('button', { name: 'Save private note' }));
    await waitFor(() => expect(session.saveNote).toHaveBeenCalledWith('s1', 'PRIVATE', 'Ask about fees'));
  });

  it(
    'a version saved elsewhere meanwhile is loaded and said so; my text can be put back and saved',
    { timeout: 20_000 },
    async () => {
      const { session } = setUp();
      session.readNotes.mockResolvedValue({ agenda: note('v1 agenda', 1, ANA), private: null });
      renderPage(<SessionNotesCard sessionId="s1" counterpartName="Ana López" />);
      const agenda = await screen.findByRole('textbox', { name: 'Agenda' });
      await userEvent.clear(agenda);
      await userEvent.type(agenda, 'my agenda');

      // Ana saved version 2 while this was being typed.
      session.readNotes.mockResolvedValue({ agenda: note('Ana’s agenda', 2, ANA), private: null });
      await userEvent.click(screen.getByRole('button', { name: 'Save agenda' }));
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('Updated elsewhere');
      expect(agenda).toHaveValue('Ana’s agenda');
      expect(session.saveNote).not.toHaveBeenCalled();

      await userEvent.click(within(alert).getByRole('button', { name: 'Put my text back' }));
      expect(agenda).toHaveValue('my agenda');
      await userEvent.click(screen.getByRole('button', { name: 'Save agenda' }));
      await waitFor(() => expect(session.saveNote).toHaveBeenCalledWith('s1', 'AGENDA', 'my agenda'));
    },
  );

  it('the server’s conflict (a save in between) is handled the same way', async () => {
    const { session } = setUp();
    session.readNotes.mockResolvedValue({ agenda: null, private: note('old', 1) });
    session.saveNote.mockRejectedValueOnce(
      new E2eeError('HTTP', 'conflict', { status: 409, serverCode: 'NOTE_VERSION_CONFLICT' }),
    );
    renderPage(<SessionNotesCard sessionId="s1" counterpartName="Ana López" />);
    const mine = await screen.findByRole('textbox', { name: 'Private note' });
    await userEvent.type(mine, ' and new');
    session.readNotes.mockResolvedValueOnce({ agenda: null, private: note('old', 1) });
    session.readNotes.mockResolvedValue({ agenda: null, private: note('from my laptop', 2) });
    await userEvent.click(screen.getByRole('button', { name: 'Save private note' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You, on another device, saved this note');
    expect(mine).toHaveValue('from my laptop');
  });

  it('before the payment there are no notes yet', async () => {
    const { fake } = setUp();
    fake.transport.getNotes.mockRejectedValue(new E2eeError('HTTP', 'nope', { status: 404, serverCode: 'SESSION_NOT_FOUND' }));
    renderPage(<SessionNotesCard sessionId="s1" counterpartName="Ana López" />);
    expect(await screen.findByText('The agenda and notes open once the session is paid.')).toBeVisible();
  });
});
