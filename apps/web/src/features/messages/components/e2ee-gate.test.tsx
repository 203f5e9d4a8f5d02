import { E2eeError } from '@lm/e2ee';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../../../test/render';
import { fakeServices, withE2ee } from '../messages.fixtures';
import { E2eeGate } from './e2ee-gate';

const inbox = <p>The inbox</p>;

describe('E2eeGate: first use', () => {
  it(
    'creates the keys, shows the recovery code once, and opens the messages only after "I have saved it"',
    { timeout: 20_000 },
    async () => {
      const fake = fakeServices();
      fake.client.status.mockResolvedValueOnce('needs-setup');
      renderPage(withE2ee(fake.services, <E2eeGate>{inbox}</E2eeGate>));

      expect(await screen.findByRole('heading', { name: 'Set up secure messaging' })).toBeVisible();
      expect(screen.getByText(/LexMarket stores and forwards only the locked version/)).toBeVisible();
      await userEvent.click(screen.getByRole('button', { name: 'Create my keys' }));

      expect(await screen.findByTestId('recovery-code')).toHaveTextContent('7K3M-9QXA-T2BD-H8VW-C4NE-P6RZ');
      expect(fake.client.setUp).toHaveBeenCalledTimes(1);
      expect(fake.client.setUp.mock.calls[0]).toEqual([expect.stringMatching(/ on /)]);
      expect(screen.getByRole('button', { name: 'Copy code' })).toBeVisible();
      expect(screen.getByRole('button', { name: 'Download as a text file' })).toBeVisible();

      // Not without the confirmation.
      await userEvent.click(screen.getByRole('button', { name: 'Continue to messages' }));
      expect(screen.getByText('Save the code, then tick this box to continue.')).toBeVisible();
      expect(screen.queryByText('The inbox')).not.toBeInTheDocument();
      expect(screen.getByTestId('recovery-code')).toBeVisible();

      await userEvent.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code somewhere safe' }));
      await userEvent.click(screen.getByRole('button', { name: 'Continue to messages' }));
      expect(await screen.findByText('The inbox')).toBeVisible();
      expect(screen.queryByTestId('recovery-code')).not.toBeInTheDocument();
      // Ready: the live events start.
      await waitFor(() => expect(fake.client.events).toHaveBeenCalledTimes(1));
    },
  );

  it('says why the keys could not be created', async () => {
    const fake = fakeServices({
      setUp: () => Promise.reject(new E2eeError('HTTP', 'x', { status: 503, serverCode: 'UNAVAILABLE' })),
    });
    fake.client.status.mockResolvedValueOnce('needs-setup');
    renderPage(withE2ee(fake.services, <E2eeGate>{inbox}</E2eeGate>));
    await userEvent.click(await screen.findByRole('button', { name: 'Create my keys' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The keys could not be createdWe have logged the problem. Please try again in a moment.',
    );
  });
});

describe('E2eeGate: a new browser', () => {
  it(
    'a wrong code says so at the field; a malformed one explains the format; the right one opens the messages',
    { timeout: 20_000 },
    async () => {
      const fake = fakeServices({
        restore: (code: string) =>
          code.startsWith('WRONG')
            ? Promise.reject(new E2eeError('WRONG_RECOVERY_CODE', 'no'))
            : code === 'abc'
              ? Promise.reject(new E2eeError('RECOVERY_CODE_MALFORMED', 'no'))
              : Promise.resolve(),
      });
      fake.client.status.mockResolvedValueOnce('needs-restore');
      renderPage(withE2ee(fake.services, <E2eeGate>{inbox}</E2eeGate>));

      const field = await screen.findByRole('textbox', { name: 'Recovery code' });
      await userEvent.click(screen.getByRole('button', { name: 'Unlock messages' }));
      expect(screen.getByText('Enter your recovery code.')).toBeVisible();

      await userEvent.type(field, 'WRONG-CODE');
      await userEvent.click(screen.getByRole('button', { name: 'Unlock messages' }));
      expect(await screen.findByText(/That recovery code does not match/)).toBeVisible();
      expect(field).toHaveAttribute('aria-invalid', 'true');

      await userEvent.clear(field);
      await userEvent.type(field, 'abc');
      // Typing again clears the old error.
      expect(screen.queryByText(/That recovery code does not match/)).not.toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Unlock messages' }));
      expect(
        await screen.findByText(/That is not a recovery code\. A recovery code has 24 letters and digits in 6 groups of 4/),
      ).toBeVisible();

      await userEvent.clear(field);
      await userEvent.type(field, '7k3m 9qxa t2bd h8vw c4ne p6rz');
      await userEvent.click(screen.getByRole('button', { name: 'Unlock messages' }));
      expect(await screen.findByText('The inbox')).toBeVisible();
      expect(fake.client.restore).toHaveBeenLastCalledWith('7k3m 9qxa t2bd h8vw c4ne p6rz', expect.stringMatching(/ on /));
    },
  );

  it(
    '"I lost my code" starts over only after the warning is acknowledged, then shows the new code',
    { timeout: 20_000 },
    async () => {
      const fake = fakeServices();
      fake.client.status.mockResolvedValueOnce('needs-restore');
      renderPage(withE2ee(fake.services, <E2eeGate>{inbox}</E2eeGate>));

      await userEvent.click(await screen.findByRole('button', { name: 'I lost my code — start over' }));
      const dialog = await screen.findByRole('dialog', { name: 'Start over with new keys?' });
      expect(dialog).toHaveTextContent('Every earlier message, file and session note becomes unreadable for you');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Start over with new keys' }));
      expect(within(dialog).getByText('Tick this box to confirm.')).toBeVisible();
      expect(fake.client.resetIdentity).not.toHaveBeenCalled();

      await userEvent.click(within(dialog).getByRole('checkbox', { name: 'I understand that my earlier messages will be lost' }));
      await userEvent.click(within(dialog).getByRole('button', { name: 'Start over with new keys' }));
      expect(await screen.findByTestId('recovery-code')).toHaveTextContent('NEW1-NEW2-NEW3-NEW4-NEW5-NEW6');
      expect(fake.client.resetIdentity).toHaveBeenCalledTimes(1);
      expect(screen.queryByText('The inbox')).not.toBeInTheDocument();
    },
  );
});
