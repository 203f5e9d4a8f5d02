import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../../test/render';
import type { SessionDetail } from '../../sessions/sessions.queries';
import { SessionSupportCard } from './session-support-card';

vi.mock('../../../lib/api', () => import('../../../test/fake-api'));

/** Only what the card reads of a session. */
function session(overrides: Partial<SessionDetail>): SessionDetail {
  return {
    id: '00000000-0000-4000-8000-000000000051',
    status: 'SCHEDULED',
    startAt: new Date(Date.now() - 3_600_000).toISOString(),
    endAt: new Date(Date.now() - 1_800_000).toISOString(),
    currency: 'EUR',
    refunds: [],
    ...overrides,
  } as SessionDetail;
}

const refund = (status: 'PENDING' | 'SUCCEEDED') => ({
  id: 'r1',
  amountMinor: 9000,
  currency: 'EUR',
  status,
  reason: 'Lawyer no-show',
  createdAt: new Date().toISOString(),
});

describe('SessionSupportCard', () => {
  it('opens the report form with the other side’s no-show', { timeout: 20_000 }, async () => {
    renderPage(<SessionSupportCard session={session({})} side="LAWYER" locale="en" />);
    await userEvent.click(screen.getByRole('button', { name: 'Report a problem' }));
    expect(screen.getByRole('radio', { name: 'The client did not show up' })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Report a problem' })).toBeVisible();
  });

  it('tells the client that the lawyer did not attend and whether the refund went through', async () => {
    const { unmount } = renderPage(
      <SessionSupportCard
        session={session({ status: 'NO_SHOW_LAWYER', refunds: [refund('PENDING')] })}
        side="CLIENT"
        locale="en"
      />,
    );
    const card = screen.getByRole('region', { name: 'Problem with this session?' });
    expect(within(card).getByText('The lawyer did not attend')).toBeVisible();
    expect(card).toHaveTextContent('The refund is on its way');
    unmount();

    renderPage(
      <SessionSupportCard
        session={session({ status: 'NO_SHOW_LAWYER', refunds: [refund('SUCCEEDED')] })}
        side="CLIENT"
        locale="en"
      />,
    );
    expect(screen.getByRole('region', { name: 'Problem with this session?' })).toHaveTextContent(
      'Support confirmed that the lawyer did not attend. €90.00 has been refunded to you.',
    );
  });

  it('tells the lawyer that a client no-show keeps the payment with them', () => {
    renderPage(<SessionSupportCard session={session({ status: 'NO_SHOW_CLIENT' })} side="LAWYER" locale="en" />);
    expect(screen.getByRole('region', { name: 'Problem with this session?' })).toHaveTextContent('You keep the payment.');
  });
});
