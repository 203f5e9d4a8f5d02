import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { DataTable } from '../../../components/data-table';
import type { Period } from '../finance.types';
import { periodLabel } from '../report-range';

export interface SeriesColumn<P> {
  label: string;
  cell: (point: P) => ReactNode;
}

/** The figures per period: the chart's text alternative, and the detail behind the totals. */
export function SeriesTable<P extends Period>({
  label,
  locale,
  columns,
  points,
}: {
  label: string;
  locale: string;
  columns: readonly SeriesColumn<P>[];
  points: readonly P[];
}) {
  return (
    <DataTable label={label} columns={['Period', ...columns.map((c) => c.label)]} minWidth={640} striped>
      {points.map((p) => (
        <Table.Tr key={p.periodStart}>
          <Table.Td>{periodLabel(p, locale)}</Table.Td>
          {columns.map((c) => (
            <Table.Td key={c.label} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {c.cell(p)}
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </DataTable>
  );
}
