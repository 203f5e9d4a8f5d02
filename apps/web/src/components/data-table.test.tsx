import { MantineProvider, Paper, Table, VisuallyHidden } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CARDS_MEDIA_QUERY, DataTable } from './data-table';

const html = (ui: ReactNode) => render(<MantineProvider>{ui}</MantineProvider>).container.innerHTML;

const row = (
  <Table.Tr>
    <Table.Td>Ada</Table.Td>
    <Table.Td>ada@example.com</Table.Td>
    <Table.Td>Edit</Table.Td>
  </Table.Tr>
);

/** The shell the list components wrote out by hand before DataTable, with its props as they were. */
function HandWritten({ paper = true, minWidth, ...props }: { paper?: boolean; minWidth?: number } & Record<string, unknown>) {
  let table: ReactNode = (
    <Table {...props} aria-label="Users">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Email</Table.Th>
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{row}</Table.Tbody>
    </Table>
  );
  if (minWidth !== undefined) table = <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
  return paper ? (
    <Paper withBorder radius="md">
      {table}
    </Paper>
  ) : (
    table
  );
}

const columns = ['Name', 'Email', { label: 'Actions', visuallyHidden: true }] as const;

describe('DataTable', () => {
  it('renders the same DOM as the hand-written shell: Paper, scroll container, spaced table', () => {
    expect(
      html(
        <DataTable label="Users" columns={columns} minWidth={720} striped highlightOnHover>
          {row}
        </DataTable>,
      ),
    ).toBe(html(<HandWritten minWidth={720} verticalSpacing="sm" horizontalSpacing="md" striped highlightOnHover />));
  });

  it('leaves out the Paper, the scroll container or the horizontal spacing when asked', () => {
    expect(
      html(
        <DataTable label="Users" columns={columns} minWidth={700} withPaper={false} horizontalSpacing={undefined}>
          {row}
        </DataTable>,
      ),
    ).toBe(html(<HandWritten paper={false} minWidth={700} verticalSpacing="sm" />));
    expect(
      html(
        <DataTable label="Users" columns={columns}>
          {row}
        </DataTable>,
      ),
    ).toBe(html(<HandWritten verticalSpacing="sm" horizontalSpacing="md" />));
  });

  it('names the table and its columns, the hidden one only for screen readers', () => {
    render(
      <MantineProvider>
        <DataTable label="Users" columns={columns} minWidth={720}>
          {row}
        </DataTable>
      </MantineProvider>,
    );
    const table = screen.getByRole('table', { name: 'Users' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Name', 'Email', 'Actions']);
    expect(within(table).getByRole('cell', { name: 'ada@example.com' })).toBeVisible();
  });

  describe('on a phone', () => {
    afterEach(() => vi.restoreAllMocks());

    it('shows each row as a card: no scroll container, cells labelled with their column', () => {
      vi.spyOn(window, 'matchMedia').mockImplementation(
        (query: string) =>
          ({
            matches: query === CARDS_MEDIA_QUERY,
            media: query,
            onchange: null,
            addListener: () => {},
            removeListener: () => {},
            addEventListener: () => {},
            removeEventListener: () => {},
            dispatchEvent: () => false,
          }) as MediaQueryList,
      );
      const { container } = render(
        <MantineProvider>
          <DataTable label="Users" columns={columns} minWidth={720}>
            {row}
          </DataTable>
        </MantineProvider>,
      );
      const table = screen.getByRole('table', { name: 'Users' });
      expect(table).toHaveAttribute('data-cards');
      expect(container.querySelector('.mantine-Table-scrollContainer')).toBeNull();
      const css = Array.from(container.querySelectorAll('style'), (s) => s.textContent).join('\n');
      expect(css).toContain('td:nth-child(1)::before{content:"Name"}');
      expect(css).toContain('td:nth-child(2)::before{content:"Email"}');
      expect(css).not.toContain('nth-child(3)');
      // Still a table for assistive technology, its header row included.
      expect(within(table).getAllByRole('columnheader')).toHaveLength(3);
    });
  });
});
