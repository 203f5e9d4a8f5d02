import { formatMoney } from '@lm/domain';
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { DataTable, type DataTableColumn } from '../../../components/data-table';
import { formatDate } from '../../../lib/time';
import { ROLE_LABELS } from '../finance-labels';
import type { Statement } from '../finance.types';
import { periodLabel } from '../report-range';
import { StatementDownloads } from './statement-downloads';

/**
 * Monthly statements: number, month, opening and closing balance (what was owed), with CSV and
 * PDF downloads. A re-issued statement is marked superseded; its replacement says it corrects it.
 */
export function StatementsTable({
  statements,
  zone,
  locale,
  showPayee = false,
  action,
}: {
  statements: readonly Statement[];
  zone: string;
  locale: string;
  showPayee?: boolean;
  action?: (statement: Statement, describedBy: string) => ReactNode;
}) {
  const columns: DataTableColumn[] = [
    'Number',
    ...(showPayee ? ['Payee'] : []),
    'Month',
    'Opening balance',
    'Closing balance',
    'Issued',
    'Files',
    ...(action ? [{ label: 'Actions', visuallyHidden: true as const }] : []),
  ];
  return (
    <DataTable label="Statements" columns={columns} minWidth={showPayee ? 1000 : 820}>
      {statements.map((s) => {
        const describedBy = `statement-${s.id}`;
        return (
          <Table.Tr key={s.id}>
            <Table.Td>
              <Stack gap={4} align="flex-start">
                <Text size="sm" ff="monospace" id={describedBy}>
                  {s.number}
                </Text>
                {s.superseded && (
                  <Badge color="gray" variant="light">
                    Superseded
                  </Badge>
                )}
                {s.supersedesId && (
                  <Badge color="blue" variant="light" title={s.reissueReason ?? undefined}>
                    Corrected
                  </Badge>
                )}
              </Stack>
            </Table.Td>
            {showPayee && (
              <Table.Td>
                <Text size="sm" fw={500}>
                  {s.payeeName}
                </Text>
                <Text size="xs" c="gray.7">
                  {ROLE_LABELS[s.payeeRole]}
                </Text>
              </Table.Td>
            )}
            <Table.Td>
              {periodLabel(s, locale)}
              {s.reissueReason && (
                <Text size="xs" c="gray.7">
                  Correction: {s.reissueReason}
                </Text>
              )}
            </Table.Td>
            <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{formatMoney(s.openingMinor, s.currency, locale)}</Table.Td>
            <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{formatMoney(s.closingMinor, s.currency, locale)}</Table.Td>
            <Table.Td>{formatDate(s.issuedAt, zone, locale)}</Table.Td>
            <Table.Td>
              <StatementDownloads statement={s} describedBy={describedBy} />
            </Table.Td>
            {action && (
              <Table.Td>
                <Group gap="xs">{action(s, describedBy)}</Group>
              </Table.Td>
            )}
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}
