import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { axeViolations } from '../../test/axe';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { CLIENT_ME, CONTRACT_ID, SHA_V1, SHA_V2, contractDetail } from './contracts.fixtures';
import type { ContractDetail } from './contracts.types';
import { SignContractPage } from './sign-contract-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));
// jsdom has no canvas: the pad stands in as a button that "draws" one stroke.
vi.mock('./components/signature-pad-field', () => ({
  SignaturePadField: ({ onChange }: { onChange: (d: unknown) => void }) => (
    <button
      type="button"
      onClick={() =>
        onChange({
          width: 300,
          height: 150,
          strokes: [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        })
      }
    >
      Draw a test stroke
    </button>
  ),
}));

// An optional last segment: after signing, the page moves on to /contracts/:id.
const route = { path: '/contracts/:id/:sub?', route: `/contracts/${CONTRACT_ID}/sign` };

beforeEach(() => accessToken.set('token'));
afterEach(() => accessToken.set(null));

function stale() {
  return Response.json(
    { statusCode: 409, code: 'CONTRACT_VERSION_STALE', message: 'The document changed.', requestId: 'r1' },
    { status: 409 },
  );
}

describe('SignContractPage', () => {
  it(
    'records VIEWED for the version on display, requires consent and a typed name, then signs that version',
    { timeout: 20_000 },
    async () => {
      const viewed: unknown[] = [];
      const signed: unknown[] = [];
      serve({
        'GET /api/auth/me': () => Response.json(CLIENT_ME),
        [`GET /api/contracts/${CONTRACT_ID}`]: () => Response.json(contractDetail()),
        [`POST /api/contracts/${CONTRACT_ID}/viewed`]: async (_u, r) => (
          viewed.push(await r.json()),
          Response.json(contractDetail())
        ),
        [`POST /api/contracts/${CONTRACT_ID}/sign`]: async (_u, r) => {
          signed.push(await r.json());
          return Response.json(contractDetail({ status: 'PARTIALLY_SIGNED' }));
        },
      });
      const { router } = renderPage(<SignContractPage />, route);

      const doc = await screen.findByRole('article', { name: 'Contract document' });
      // Values are text, never markup: the script tag and the braces show as typed.
      expect(within(doc).getByText('<script>alert(1)</script> {{x}}')).toBeVisible();
      expect(within(doc).getByText('# not a heading')).toBeVisible();
      expect(document.querySelector('script')).toBeNull();
      await waitFor(() => expect(viewed).toEqual([{ versionSha256: SHA_V1 }]));

      const sign = screen.getByRole('button', { name: 'Sign' });
      await waitFor(() => expect(sign).toBeEnabled());
      await userEvent.click(sign);
      expect(await screen.findByText('Tick the box to sign electronically')).toBeVisible();
      expect(screen.getByText('Type your full name')).toBeVisible();
      expect(signed).toEqual([]);

      await userEvent.click(screen.getByRole('checkbox', { name: /I agree to sign this document electronically/ }));
      await userEvent.type(screen.getByRole('textbox', { name: /Your full name/ }), '  Zofia Łukasiewicz ');
      await userEvent.click(screen.getByRole('button', { name: 'Draw a test stroke' }));
      expect(await axeViolations()).toEqual([]);
      await userEvent.click(sign);

      await waitFor(() =>
        expect(signed).toEqual([
          {
            versionSha256: SHA_V1,
            consent: true,
            typedName: 'Zofia Łukasiewicz',
            drawing: {
              width: 300,
              height: 150,
              strokes: [
                [
                  [1, 2],
                  [3, 4],
                ],
              ],
            },
          },
        ]),
      );
      await waitFor(() => expect(router.state.location.pathname).toBe(`/contracts/${CONTRACT_ID}`));
    },
  );

  it(
    'on CONTRACT_VERSION_STALE shows the new version with a message, records VIEWED for it and asks for consent again',
    { timeout: 20_000 },
    async () => {
      let current: ContractDetail = contractDetail();
      const viewed: unknown[] = [];
      const signed: { versionSha256: string }[] = [];
      serve({
        'GET /api/auth/me': () => Response.json(CLIENT_ME),
        [`GET /api/contracts/${CONTRACT_ID}`]: () => Response.json(current),
        [`POST /api/contracts/${CONTRACT_ID}/viewed`]: async (_u, r) => (viewed.push(await r.json()), Response.json(current)),
        [`POST /api/contracts/${CONTRACT_ID}/sign`]: async (_u, r) => {
          const body = (await r.json()) as { versionSha256: string };
          signed.push(body);
          if (body.versionSha256 !== current.currentVersion.sha256) return stale();
          return Response.json({ ...current, status: 'PARTIALLY_SIGNED' });
        },
      });
      renderPage(<SignContractPage />, route);
      await screen.findByRole('article', { name: 'Contract document' });
      await waitFor(() => expect(screen.getByRole('button', { name: 'Sign' })).toBeEnabled());

      // Meanwhile the lawyer's version 2 replaced version 1.
      current = contractDetail({
        currentVersion: {
          ...current.currentVersion,
          id: 'v2',
          number: 2,
          sha256: SHA_V2,
          blocks: [{ type: 'paragraph', text: 'Version two text.' }],
        },
      });
      await userEvent.click(screen.getByRole('checkbox', { name: /I agree/ }));
      await userEvent.type(screen.getByRole('textbox', { name: /Your full name/ }), 'Zofia Łukasiewicz');
      await userEvent.click(screen.getByRole('button', { name: 'Sign' }));

      expect(await screen.findByRole('alert', { name: 'The document has changed' })).toBeVisible();
      expect(await screen.findByText('Version two text.')).toBeVisible();
      await waitFor(() => expect(viewed).toEqual([{ versionSha256: SHA_V1 }, { versionSha256: SHA_V2 }]));
      // A new reading starts the form again: consent is not carried over to another document.
      expect(screen.getByRole('checkbox', { name: /I agree/ })).not.toBeChecked();
      expect(signed.map((s) => s.versionSha256)).toEqual([SHA_V1]);
    },
  );

  it('shows nothing to sign once my signature is recorded', async () => {
    serve({
      'GET /api/auth/me': () => Response.json(CLIENT_ME),
      [`GET /api/contracts/${CONTRACT_ID}`]: () =>
        Response.json(
          contractDetail({
            status: 'PARTIALLY_SIGNED',
            parties: contractDetail().parties.map((p) => (p.role === 'CLIENT' ? { ...p, signedAt: '2026-03-02T10:00:00Z' } : p)),
            allowedActions: { ...contractDetail().allowedActions, sign: false, decline: false },
          }),
        ),
    });
    renderPage(<SignContractPage />, route);
    expect(await screen.findByText('You have signed this contract.')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Sign' })).toBeNull();
  });
});
