import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { serve } from '../../../test/fake-api';
import { renderPage } from '../../../test/render';
import { ZoneMismatchAlert } from './zone-mismatch-alert';

vi.mock('../../../lib/api', () => import('../../../test/fake-api'));

const availability = (timeZone: string) =>
  Response.json({ timeZone, weekly: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, maxSessionsPerDay: null });

describe('ZoneMismatchAlert', () => {
  it('tells a lawyer whose hours and account are in different zones, and aligns the account in one click', { timeout: 20_000 }, async () => {
    const sent: unknown[] = [];
    serve({
      'GET /api/lawyer/availability': () => availability('America/New_York'),
      'PATCH /api/auth/me': async (_url, request) => (sent.push(await request.json()), Response.json({})),
    });
    renderPage(<ZoneMismatchAlert accountZone="UTC" />);

    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('Your time zones differ');
    expect(alert).toHaveTextContent('America/New_York');
    await userEvent.click(screen.getByRole('button', { name: 'Use America/New_York for my account' }));
    await waitFor(() => expect(sent).toEqual([{ timeZone: 'America/New_York' }]));
  });

  it('says nothing when both zones agree', { timeout: 20_000 }, async () => {
    const asked = serve({ 'GET /api/lawyer/availability': () => availability('Europe/Madrid') });
    renderPage(<ZoneMismatchAlert accountZone="Europe/Madrid" />);
    await waitFor(() => expect(asked['GET /api/lawyer/availability']).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
