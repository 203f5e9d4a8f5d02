import { Paper, Table, VisuallyHidden, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A header cell: what it shows (usually a string), or `{ label, visuallyHidden: true }` for a column
 * whose name is only for screen readers, such as a column of row actions.
 */
export type DataTableColumn = ReactNode | { label: string; visuallyHidden: true };

interface DataTableProps extends Omit<TableProps, 'children' | 'data' | 'aria-label'> {
  /** The table's accessible name ("Sessions"); tests and assistive technology find the table by it. */
  label: string;
  columns: readonly DataTableColumn[];
  /** Below this width (px) the table scrolls sideways; without it the table is not in a scroll container. */
  minWidth?: number;
  /** Frame the table in a bordered Paper (the default); false where it already sits in one. */
  withPaper?: boolean;
  /** The body rows (`Table.Tr`s). */
  children: ReactNode;
}

const isHidden = (column: DataTableColumn): column is { label: string; visuallyHidden: true } =>
  typeof column === 'object' && column !== null && 'visuallyHidden' in column;

/**
 * The list tables' shell: a bordered Paper, a horizontal scroll container, and a labelled table with
 * one header row and the given body rows. Spacing defaults to vertical "sm" and horizontal "md"; any
 * other Mantine `Table` prop (striped, highlightOnHover, …) passes through, and passing
 * `horizontalSpacing={undefined}` keeps Mantine's own default.
 */
export function DataTable({ label, columns, minWidth, withPaper = true, children, ...tableProps }: DataTableProps) {
  let table: ReactNode = (
    <Table verticalSpacing="sm" horizontalSpacing="md" {...tableProps} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column, i) => (
            // The header row is fixed for the table's life, so a column's place is its identity.
            <Table.Th key={i}>{isHidden(column) ? <VisuallyHidden>{column.label}</VisuallyHidden> : column}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
  if (minWidth !== undefined) table = <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
  return withPaper ? (
    <Paper withBorder radius="md">
      {table}
    </Paper>
  ) : (
    table
  );
}
