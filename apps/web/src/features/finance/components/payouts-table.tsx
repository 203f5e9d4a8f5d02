import { formatMoney } from '@lm/domain';
import { Badge, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { DataTable, type DataTableColumn } from '../../../components/data-table';
import { formatDate, formatDateTime } from '../../../lib/time';
import { METHOD_LABELS, ROLE_LABELS } from '../finance-labels';
import type { Payout } from '../finance.types';

/**
 * Payouts, newest first: when, how much, how and the bank's reference; a reversed one says so
 * (with the reason). Admins also see the payee and a row action.
 */
export function PayoutsTable({
  payouts,
  zone,
  locale,
  showPayee = false,
  action,
}: {
  payouts: readonly Payout[];
  zone: string;
  locale: string;
  showPayee?: boolean;
  action?: (payout: Payout, describedBy: string) => ReactNode;
}) {
  const columns: DataTableColumn[] = [
    'Paid on',
    ...(showPayee ? ['Payee'] : []),
    'Amount',
    'Method',
    'Reference',
    'Status',
    ...(action ? [{ label: 'Actions', visuallyHidden: true as const }] : []),
  ];
  return (
    <DataTable label="Payouts" columns={columns} minWidth={showPayee ? 900 : 640}>
      {payouts.map((p) => {
        const describedBy = `payout-${p.id}`;
        return (
          <Table.Tr key={p.id}>
            <Table.Td>
              <Text size="sm" title={formatDateTime(p.paidAt, zone, locale)}>
                {formatDate(p.paidAt, zone, locale)}
              </Text>
              {p.recordedByName && (
                <Text size="xs" c="gray.7">
                  Recorded by {p.recordedByName}
                </Text>
              )}
            </Table.Td>
            {showPayee && (
              <Table.Td>
                <Text size="sm" fw={500} id={describedBy}>
                  {p.payeeName}
                </Text>
                <Text size="xs" c="gray.7">
                  {ROLE_LABELS[p.role]}
                </Text>
              </Table.Td>
            )}
            <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }} id={showPayee ? undefined : describedBy}>
              {formatMoney(p.amountMinor, p.currency, locale)}
            </Table.Td>
            <Table.Td>{METHOD_LABELS[p.method] ?? p.method}</Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.reference}</Table.Td>
            <Table.Td>
              {p.reversal ? (
                <Stack gap={2}>
                  <Badge color="red" variant="light">
                    Reversed
                  </Badge>
                  <Text size="xs" c="gray.7">
                    {formatDate(p.reversal.reversedAt, zone, locale)}: {p.reversal.reason}
                  </Text>
                </Stack>
              ) : (
                <Badge color="green" variant="light">
                  Paid
                </Badge>
              )}
            </Table.Td>
            {action && <Table.Td>{action(p, describedBy)}</Table.Td>}
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}
