import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { AdminStatementsPage } from './admin-statements-page';
import { page, statement } from './finance.fixtures';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

describe('AdminStatementsPage', () => {
  it(
    'lists statements with their files; a superseded one cannot be re-issued; a refusal is explained',
    { timeout: 30_000 },
    async () => {
      const old = statement({ id: 'old', number: 'ST-202601-000001', superseded: true, supersededById: 'new' });
      const corrected = statement({
        id: 'new',
        number: 'ST-202603-000007',
        supersedesId: 'old',
        reissueReason: 'Refund booked late',
      });
      const bodies: unknown[] = [];
      serve({
        'GET /api/admin/statements': () => Response.json(page([corrected, old])),
        'POST /api/admin/statements/new/reissue': async (_url, request) => {
          bodies.push(await request.json());
          return apiError(409, 'STATEMENT_ALREADY_SUPERSEDED', 'Already superseded');
        },
      });
      renderPage(<AdminStatementsPage />, { path: '/admin/statements', route: '/admin/statements' });
      const table = await screen.findByRole('table', { name: 'Statements' });
      const [, first, second] = within(table).getAllByRole('row');
      expect(first).toHaveTextContent(/ST-202603-000007.*Corrected.*Łukasz Żółć.*Correction: Refund booked late/);
      expect(second).toHaveTextContent(/ST-202601-000001.*Superseded/);
      expect(within(second!).queryByRole('button', { name: 'Re-issue' })).toBeNull();
      expect(within(second!).getByRole('button', { name: 'Download PDF' })).toBeVisible();

      await userEvent.click(within(first!).getByRole('button', { name: 'Re-issue' }));
      const dialog = await screen.findByRole('dialog', { name: 'Re-issue ST-202603-000007?' });
      await userEvent.click(within(dialog).getByRole('button', { name: 'Re-issue' }));
      expect(within(dialog).getByText('Say what the new statement corrects')).toBeVisible();
      await userEvent.click(within(dialog).getByLabelText(/^Reason/));
      await userEvent.paste('Wrong opening balance');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Re-issue' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(/already been replaced by a corrected one/);
      expect(bodies).toEqual([{ reason: 'Wrong opening balance' }]);
    },
  );
});
