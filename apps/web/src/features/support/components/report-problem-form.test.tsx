import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../../test/axe';
import { apiError, serve } from '../../../test/fake-api';
import { renderPage } from '../../../test/render';
import type { SupportTicket } from '../support.queries';
import { ReportProblemForm, type ReportedSession } from './report-problem-form';

vi.mock('../../../lib/api', () => import('../../../test/fake-api'));

const SESSION_ID = '00000000-0000-4000-8000-000000000051';
const TICKET_ID = '00000000-0000-4000-8000-0000000000f1';
/** Started an hour ago, ended half an hour ago: a no-show may be reported. */
const justHeld: ReportedSession = {
  id: SESSION_ID,
  status: 'SCHEDULED',
  startAt: new Date(Date.now() - 60 * 60_000).toISOString(),
  endAt: new Date(Date.now() - 30 * 60_000).toISOString(),
};

const ticket: SupportTicket = {
  id: TICKET_ID,
  category: 'NO_SHOW_LAWYER',
  sessionId: SESSION_ID,
  subject: '',
  description: 'I waited twenty minutes in the call.',
  status: 'OPEN',
  resolution: null,
  resolutionNote: null,
  resolvedAt: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  lastMessageAt: null,
};

const options = () => within(screen.getByRole('radiogroup', { name: /What is the problem/ })).getAllByRole('radio');
const optionNames = () => options().map((o) => o.closest('.mantine-Radio-root')?.textContent ?? '');

describe('ReportProblemForm', () => {
  it(
    'offers a client the lawyer’s no-show and a lawyer the client’s, each with the general categories',
    { timeout: 20_000 },
    async () => {
      const { unmount } = renderPage(<ReportProblemForm session={justHeld} side="CLIENT" />);
      expect(screen.getByRole('radio', { name: 'The lawyer did not show up' })).toBeEnabled();
      expect(screen.queryByRole('radio', { name: 'The client did not show up' })).toBeNull();
      expect(options()).toHaveLength(5);
      for (const name of ['Billing or payment', 'Technical problem', 'Abuse or inappropriate behaviour', 'Something else']) {
        expect(screen.getByRole('radio', { name })).toBeInTheDocument();
      }
      expect(await axeViolations()).toEqual([]);
      unmount();

      const lawyer = renderPage(<ReportProblemForm session={justHeld} side="LAWYER" />);
      expect(screen.getByRole('radio', { name: 'The client did not show up' })).toBeEnabled();
      expect(screen.queryByRole('radio', { name: 'The lawyer did not show up' })).toBeNull();
      lawyer.unmount();

      // Without a session (Contact support) there is no no-show to report.
      renderPage(<ReportProblemForm side="CLIENT" />);
      expect(options()).toHaveLength(4);
      expect(optionNames().filter((n) => /did not show up/.test(n))).toHaveLength(0);
    },
  );

  it('keeps the no-show option closed, with the reason, outside the 48-hour window', async () => {
    const longAgo = { ...justHeld, startAt: '2026-01-01T09:00:00.000Z', endAt: '2026-01-01T10:00:00.000Z', status: 'COMPLETED' };
    renderPage(<ReportProblemForm session={longAgo} side="CLIENT" />);
    expect(screen.getByRole('radio', { name: 'The lawyer did not show up' })).toBeDisabled();
    expect(screen.getByText("A no-show can be reported up to 48 hours after the session's end.")).toBeVisible();
    expect(screen.getByRole('radio', { name: 'Billing or payment' })).toBeEnabled();
  });

  it('says what is missing before sending anything, and counts the characters', { timeout: 20_000 }, async () => {
    const asked = serve({ 'POST /api/support/tickets': () => Response.json(ticket, { status: 201 }) });
    renderPage(<ReportProblemForm session={justHeld} side="CLIENT" />);

    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('Choose what the problem is about.')).toBeVisible();
    expect(screen.getByText('Describe the problem.')).toBeVisible();
    expect(screen.getByRole('textbox', { name: /Describe what happened/ })).toHaveAttribute('aria-invalid', 'true');

    await userEvent.click(screen.getByRole('radio', { name: 'The lawyer did not show up' }));
    await userEvent.type(screen.getByRole('textbox', { name: /Describe what happened/ }), 'No one');
    expect(screen.getByText(/^6 \/ 5000 characters/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('Describe the problem in at least 10 characters.')).toBeVisible();
    expect(screen.queryByText('Choose what the problem is about.')).toBeNull();
    expect(asked['POST /api/support/tickets']).toHaveLength(0);
    expect(await axeViolations()).toEqual([]);
  });

  it('sends the report for the session and links to the new ticket', { timeout: 20_000 }, async () => {
    let sent: unknown = null;
    serve({
      'POST /api/support/tickets': async (_url, request) => {
        sent = await request.json();
        return Response.json(ticket, { status: 201 });
      },
    });
    renderPage(<ReportProblemForm session={justHeld} side="CLIENT" />);
    await userEvent.click(screen.getByRole('radio', { name: 'The lawyer did not show up' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: /Describe what happened/ }),
      '  I waited twenty minutes in the call.  ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));

    const done = await screen.findByRole('status');
    expect(done).toHaveTextContent('Report sent');
    expect(within(done).getByRole('link', { name: 'View your ticket' })).toHaveAttribute('href', `/support/tickets/${TICKET_ID}`);
    expect(sent).toEqual({
      category: 'NO_SHOW_LAWYER',
      sessionId: SESSION_ID,
      description: 'I waited twenty minutes in the call.',
    });
  });

  it(
    'explains a second report of the same no-show (409) and a closed window, and keeps what was typed',
    { timeout: 20_000 },
    async () => {
      let code = 'NO_SHOW_ALREADY_REPORTED';
      serve({
        'POST /api/support/tickets': () =>
          apiError(
            409,
            code,
            code === 'NO_SHOW_ALREADY_REPORTED' ? 'This no-show was already reported.' : 'Too late to report a no-show.',
          ),
      });
      renderPage(<ReportProblemForm session={justHeld} side="LAWYER" />);
      await userEvent.click(screen.getByRole('radio', { name: 'The client did not show up' }));
      const description = screen.getByRole('textbox', { name: /Describe what happened/ });
      await userEvent.type(description, 'The client never joined the call.');
      await userEvent.click(screen.getByRole('button', { name: 'Send report' }));

      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('Already reported');
      expect(alert).toHaveTextContent('This no-show has already been reported for this session.');
      expect(within(alert).getByRole('link', { name: 'My support tickets' })).toHaveAttribute('href', '/support');
      expect(description).toHaveValue('The client never joined the call.');

      code = 'NO_SHOW_REPORT_NOT_ALLOWED';
      await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
      await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('The report window is closed'));
      expect(screen.getByRole('alert')).toHaveTextContent("only from the session's start until 48 hours after its scheduled end");
    },
  );

  it('shows the API’s field errors next to the field', { timeout: 20_000 }, async () => {
    serve({
      'POST /api/support/tickets': () =>
        Response.json(
          {
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: 'Validation failed',
            requestId: 'req-1',
            fields: [{ field: 'description', messages: ['description must be at most 5000 characters'] }],
          },
          { status: 400 },
        ),
    });
    renderPage(<ReportProblemForm side={null} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Technical problem' }));
    await userEvent.type(screen.getByRole('textbox', { name: /Describe what happened/ }), 'The video never loads for me.');
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('Use at most 5000 characters')).toBeVisible();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
