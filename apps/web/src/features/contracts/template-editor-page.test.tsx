import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import type { PreviewInput, TemplateDetail } from './contracts.types';
import { TemplateEditorPage } from './template-editor-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const TEMPLATE_ID = '00000000-0000-4000-8000-0000000000e1';

function template(overrides: Partial<TemplateDetail> = {}): TemplateDetail {
  return {
    id: TEMPLATE_ID,
    name: 'My NDA',
    description: '',
    owner: 'OWN',
    archived: false,
    version: {
      id: 'tv1',
      number: 1,
      body: '# NDA\n{{client_name}} keeps it secret.',
      variables: [{ name: 'client_name', label: 'Client name' }],
      createdAt: '2026-03-01T10:00:00.000Z',
    },
    ...overrides,
  };
}

describe('TemplateEditorPage', () => {
  it(
    'spots an undeclared variable, declares it, previews with labels as values and saves a new version',
    { timeout: 30_000 },
    async () => {
      const previews: PreviewInput[] = [];
      const saved: unknown[] = [];
      let undeclaredOnce = true;
      serve({
        [`GET /api/contract-templates/${TEMPLATE_ID}`]: () => Response.json(template()),
        'POST /api/contract-templates/preview': async (_u, r) => {
          const input = (await r.json()) as PreviewInput;
          previews.push(input);
          return Response.json({ blocks: [{ type: 'paragraph', text: Object.values(input.values).join(' | ') }] });
        },
        [`POST /api/contract-templates/${TEMPLATE_ID}/versions`]: async (_u, r) => {
          const body = (await r.json()) as { variables: unknown[] };
          if (undeclaredOnce) {
            undeclaredOnce = false;
            return Response.json(
              {
                statusCode: 400,
                code: 'TEMPLATE_VARIABLES_UNDECLARED',
                message: 'Undeclared',
                requestId: 'r',
                details: { names: ['venue'] },
              },
              { status: 400 },
            );
          }
          saved.push(body);
          return Response.json(template({ version: { ...template().version, id: 'tv2', number: 2 } }), { status: 201 });
        },
      });
      renderPage(<TemplateEditorPage />, {
        path: '/lawyer/contract-templates/:id',
        route: `/lawyer/contract-templates/${TEMPLATE_ID}`,
      });

      const body = await screen.findByRole('textbox', { name: /Template text/ });
      await userEvent.click(body);
      await userEvent.keyboard('{End}{Enter}Signed in {{{{city}}.');
      const problems = await screen.findByText(/Used in the text but not declared: city\./);
      await userEvent.click(within(problems).getByRole('button', { name: 'Declare city' }));
      expect(screen.getByRole('textbox', { name: 'Name of variable 2' })).toHaveValue('city');
      expect(screen.getByRole('textbox', { name: 'Label of variable 2' })).toHaveValue('City');

      // The preview is the API's rendering with each label as the value.
      await waitFor(() => expect(previews.at(-1)?.values).toEqual({ client_name: 'Client name', city: 'City' }), {
        timeout: 5000,
      });
      expect(await screen.findByText('Client name | City')).toBeVisible();

      // The API names what it found undeclared; the editor lists it and offers to declare it.
      await userEvent.click(screen.getByRole('button', { name: 'Save new version' }));
      expect(await screen.findByText(/Used in the text but not declared: venue\./)).toBeVisible();
      await userEvent.click(screen.getByRole('button', { name: 'Save new version' }));
      await waitFor(() =>
        expect(saved).toEqual([
          {
            name: 'My NDA',
            body: '# NDA\n{{client_name}} keeps it secret.\nSigned in {{city}}.',
            variables: [
              { name: 'client_name', label: 'Client name' },
              { name: 'city', label: 'City' },
            ],
          },
        ]),
      );
    },
  );

  it('shows a LexMarket template read only, with a way to copy it', async () => {
    serve({
      [`GET /api/contract-templates/${TEMPLATE_ID}`]: () =>
        Response.json(template({ owner: 'PLATFORM', name: 'Engagement letter' })),
      'POST /api/contract-templates/preview': () => Response.json({ blocks: [] }),
    });
    renderPage(<TemplateEditorPage />, {
      path: '/lawyer/contract-templates/:id',
      route: `/lawyer/contract-templates/${TEMPLATE_ID}`,
    });
    expect(await screen.findByText(/LexMarket’s templates cannot be changed/)).toBeVisible();
    expect(screen.getByRole('textbox', { name: /Template text/ })).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: 'Save new version' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Copy into a new template' })).toHaveAttribute(
      'href',
      `/lawyer/contract-templates/new?from=${TEMPLATE_ID}`,
    );
  });
});
