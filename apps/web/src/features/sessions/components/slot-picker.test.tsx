import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { serve } from '../../../test/fake-api';
import { renderPage } from '../../../test/render';
import { SlotPicker } from './slot-picker';

vi.mock('../../../lib/api', () => import('../../../test/fake-api'));

const HOUR = 3_600_000;
/** Whole quarter hours from now, so slots are stable within a test. */
const soon = (hoursFromNow: number) => new Date(Math.ceil((Date.now() + hoursFromNow * HOUR) / (15 * 60_000)) * 15 * 60_000);
/**
 * 01:00 UTC three days from today: 10:00 in Tokyo, the evening before in New York, 02:00 in Madrid.
 * Three slots from there stay on one calendar day in each zone the tests show, whatever the hour the
 * suite runs at (a start taken as "48 hours from now" crossed midnight in Tokyo in the afternoon).
 */
const laterMorning = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3, 1, 0));
};
const timeIn = (d: Date, zone: string) => new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(d);

const POLICY = {
  freeChangeHours: 24,
  refundPercentBeforeWindow: 100,
  refundPercentWithinWindow: 0,
  refundPercentUnscheduled: 100,
  refundPercentLawyerCancelled: 100,
  firstBookingMinimumNoticeHours: 2,
};

/** Three slots 30 minutes apart from `first`; the lawyer's zone New York. */
function serveSlots(first: Date) {
  const starts = [0, 30, 60].map((m) => new Date(first.getTime() + m * 60_000));
  serve({
    'GET /api/sessions/s1/slots': (url) =>
      Response.json({
        sessionId: 's1',
        durationMinutes: 30,
        timeZone: 'America/New_York',
        from: url.searchParams.get('from'),
        to: url.searchParams.get('to'),
        currentStartAt: null,
        slots: starts.map((s) => ({ startAt: s.toISOString(), endAt: new Date(s.getTime() + 30 * 60_000).toISOString() })),
      }),
    'GET /api/booking-policy': () => Response.json(POLICY),
  });
  return starts;
}

function renderPicker(onConfirm = vi.fn(() => Promise.resolve())) {
  renderPage(
    <SlotPicker sessionId="s1" durationMinutes={30} zone="Asia/Tokyo" locale="en" title="Choose a time" confirmLabel="Confirm booking" onConfirm={onConfirm} showPolicy />,
  );
  return onConfirm;
}

describe('SlotPicker', { timeout: 30_000 }, () => {
  it('names the viewer’s and the lawyer’s zone, and switches the times to the lawyer’s zone or any other', async () => {
    const starts = serveSlots(laterMorning());
    renderPicker();
    const group = await screen.findByRole('group', { name: /^Free times on/ });
    expect(within(group).getByRole('button', { name: timeIn(starts[0]!, 'Asia/Tokyo') })).toBeVisible();
    expect(screen.getByText(/The lawyer’s hours are set in America\/New_York/)).toBeVisible();
    expect(screen.getByText(/until 24 hours before the start/)).toBeVisible();

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Show times in' }), 'America/New_York');
    const inNewYork = await screen.findByRole('group', { name: /^Free times on/ }, { timeout: 10_000 });
    expect(within(inNewYork).getByRole('button', { name: timeIn(starts[0]!, 'America/New_York') })).toBeVisible();
    expect(screen.getByText(/Times are shown in/)).toHaveTextContent('America/New_York');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Show times in' }), 'Europe/Madrid');
    const inMadrid = await screen.findByRole('group', { name: /^Free times on/ });
    expect(within(inMadrid).getByRole('button', { name: timeIn(starts[0]!, 'Europe/Madrid') })).toBeVisible();
  });

  it('is one Tab stop: arrow keys, Home and End move between the times; Enter selects', async () => {
    serveSlots(laterMorning());
    const onConfirm = renderPicker();
    const group = await screen.findByRole('group', { name: /^Free times on/ });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.tabIndex)).toEqual([0, -1, -1]);
    buttons[0]!.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(buttons[1]).toHaveFocus();
    await userEvent.keyboard('{End}');
    expect(buttons[2]).toHaveFocus();
    await userEvent.keyboard('{ArrowRight}');
    expect(buttons[0]).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}{Home}{ArrowDown}');
    expect(buttons[1]).toHaveFocus();
    expect(buttons.map((b) => b.tabIndex)).toEqual([-1, 0, -1]);
    await userEvent.keyboard('{Enter}');
    expect(buttons[1]).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('warns before confirming a time inside the no-change window, not for a later one', async () => {
    serveSlots(soon(5));
    renderPicker();
    const group = await screen.findByRole('group', { name: /^Free times on/ });
    expect(screen.queryByText(/less than 24 hours away/)).toBeNull();
    await userEvent.click(within(group).getAllByRole('button')[0]!);
    expect(await screen.findByRole('alert')).toHaveTextContent('cancelling it refunds nothing');
  });

  it('keeps both date-paging labels whole', async () => {
    serveSlots(laterMorning());
    renderPicker();
    expect(await screen.findByRole('button', { name: 'Earlier dates' })).toHaveTextContent('Earlier dates');
    expect(screen.getByRole('button', { name: 'Later dates' })).toHaveTextContent('Later dates');
  });
});
