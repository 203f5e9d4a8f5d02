import { Paper, Table, VisuallyHidden, type TableProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useId, type ReactNode } from 'react';
import classes from './data-table.module.css';

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

/** Up to this width (600 px) the rows are shown as cards instead of a table that scrolls sideways. */
export const CARDS_MEDIA_QUERY = '(max-width: 37.5em)';

const isHidden = (column: DataTableColumn): column is { label: string; visuallyHidden: true } =>
  typeof column === 'object' && column !== null && 'visuallyHidden' in column;

/** A CSS string literal (JSON's escaping is valid CSS for the characters a label has). */
const cssString = (text: string) => JSON.stringify(text).replace(/</g, '\\3c ');

/**
 * The list tables' shell: a bordered Paper, a horizontal scroll container, and a labelled table with
 * one header row and the given body rows. Spacing defaults to vertical "sm" and horizontal "md"; any
 * other Mantine `Table` prop (striped, highlightOnHover, …) passes through, and passing
 * `horizontalSpacing={undefined}` keeps Mantine's own default.
 *
 * On phones (CARDS_MEDIA_QUERY) every row becomes a card: each cell on its own line after its
 * column's name, nothing scrolls sideways, so status, price and actions stay in view.
 */
export function DataTable({ label, columns, minWidth, withPaper = true, children, ...tableProps }: DataTableProps) {
  const cards = useMediaQuery(CARDS_MEDIA_QUERY, false, { getInitialValueInEffect: false }) ?? false;
  const scope = useId().replace(/[^a-zA-Z0-9_-]/g, '');

  let table: ReactNode = (
    <Table
      verticalSpacing="sm"
      horizontalSpacing="md"
      {...tableProps}
      aria-label={label}
      {...(cards ? { className: classes.cards, 'data-cards': scope } : {})}
    >
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
  if (cards) {
    // Each cell's label is its column's name (text columns only; hidden columns get none).
    const rules = columns
      .map((column, i) =>
        typeof column === 'string' && column
          ? `[data-cards="${scope}"] tbody td:nth-child(${i + 1})::before{content:${cssString(column)}}`
          : '',
      )
      .join('');
    return (
      <>
        <style>{rules}</style>
        {table}
      </>
    );
  }
  if (minWidth !== undefined) table = <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
  return withPaper ? (
    <Paper withBorder radius="md">
      {table}
    </Paper>
  ) : (
    table
  );
}
