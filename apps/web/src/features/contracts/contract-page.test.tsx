import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { axeViolations } from '../../test/axe';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { ContractPage } from './contract-page';
import { CLIENT_ME, CONTRACT_ID, LAWYER_ME, SHA_V1, contractDetail } from './contracts.fixtures';
import type { ContractDetail } from './contracts.types';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

beforeEach(() => accessToken.set('token'));
afterEach(() => accessToken.set(null));

const route = { path: '/contracts/:id', route: `/contracts/${CONTRACT_ID}` };
const EXECUTED_SHA = 'c'.repeat(64);

describe('ContractPage', () => {
  it('lets the lawyer void a draft only with a reason, and shows the result', { timeout: 20_000 }, async () => {
    let current: ContractDetail = contractDetail({
      status: 'DRAFT',
      yourRole: 'LAWYER',
      sentAt: null,
      expiresAt: null,
      allowedActions: { edit: true, send: true, void: true, view: false, sign: false, decline: false, downloadExecuted: false },
    });
    const voided: unknown[] = [];
    serve({
      'GET /api/auth/me': () => Response.json(LAWYER_ME),
      [`GET /api/contracts/${CONTRACT_ID}`]: () => Response.json(current),
      [`POST /api/contracts/${CONTRACT_ID}/void`]: async (_u, r) => {
        voided.push(await r.json());
        current = {
          ...current,
          status: 'VOIDED',
          closeReason: 'The client chose another lawyer',
          allowedActions: { ...current.allowedActions, edit: false, send: false, void: false },
        };
        return Response.json(current);
      },
    });
    renderPage(<ContractPage />, route);

    expect(await screen.findByText(/Only you can see this draft/)).toBeVisible();
    expect(screen.getByRole('link', { name: 'Edit draft' })).toHaveAttribute('href', `/contracts/${CONTRACT_ID}/edit`);
    expect(screen.getByRole('button', { name: 'Send for signature' })).toBeVisible();
    expect(await axeViolations()).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Void contract' }));
    const dialog = await screen.findByRole('dialog', { name: 'Void this contract?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Void contract' }));
    expect(within(dialog).getByText('Give a reason')).toBeVisible();
    expect(voided).toEqual([]);
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Reason/ }), '  The client chose another lawyer ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Void contract' }));

    await waitFor(() => expect(voided).toEqual([{ reason: 'The client chose another lawyer' }]));
    expect(await screen.findByText('Reason: “The client chose another lawyer”')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Void contract' })).toBeNull();
  });

  it('shows an executed contract’s copy with its SHA-256, audit entry, versions and signer events in UTC', async () => {
    serve({
      'GET /api/auth/me': () => Response.json(CLIENT_ME),
      [`GET /api/contracts/${CONTRACT_ID}`]: () =>
        Response.json(
          contractDetail({
            status: 'EXECUTED',
            parties: contractDetail().parties.map((p) => ({ ...p, signedAt: '2026-03-02T10:00:05.000Z' })),
            events: [
              {
                type: 'VIEWED',
                role: 'CLIENT',
                name: 'Zofia Łukasiewicz',
                at: '2026-03-02T09:59:00.000Z',
                ip: '203.0.113.7',
                userAgent: 'Firefox',
                documentSha256: SHA_V1,
              },
              {
                type: 'SIGNED',
                role: 'CLIENT',
                name: 'Zofia Łukasiewicz',
                at: '2026-03-02T10:00:05.000Z',
                ip: '203.0.113.7',
                userAgent: 'Firefox',
                documentSha256: SHA_V1,
              },
            ],
            executed: { sha256: EXECUTED_SHA, size: 45_000, sealedAt: '2026-03-02T10:00:06.000Z', auditSeq: 812 },
            executedAt: '2026-03-02T10:00:06.000Z',
            allowedActions: {
              edit: false,
              send: false,
              void: false,
              view: true,
              sign: false,
              decline: false,
              downloadExecuted: true,
            },
          }),
        ),
    });
    renderPage(<ContractPage />, route);

    const executed = await screen.findByRole('region', { name: 'Executed copy' });
    expect(within(executed).getByTestId('executed-sha256')).toHaveTextContent(EXECUTED_SHA);
    expect(within(executed).getByText('#812')).toBeVisible();
    expect(within(executed).getByText('2026-03-02 10:00:06 UTC')).toBeVisible();
    expect(within(executed).getByRole('button', { name: 'Download executed PDF' })).toBeVisible();
    const events = screen.getByRole('list', { name: 'Signer events' });
    expect(within(events).getByText('Signed — Zofia Łukasiewicz (Client)')).toBeVisible();
    expect(within(events).getByText('2026-03-02 10:00:05 UTC')).toBeVisible();
    expect(within(events).getAllByText(/IP 203\.0\.113\.7 · Firefox/)).toHaveLength(2);
    expect(within(screen.getByRole('table', { name: 'Versions' })).getByText(SHA_V1)).toBeVisible();
    expect(await axeViolations()).toEqual([]);
  });
});
