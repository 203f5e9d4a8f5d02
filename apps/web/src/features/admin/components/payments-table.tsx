import { formatMoney } from '@lm/domain';
import { Anchor, Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { DataTable } from '../../../components/data-table';
import { formatDateTime } from '../../../lib/time';
import { REFUND_LOOK, STATUS_LOOK } from '../../sessions/session-labels';
import type { SessionStatus } from '../../sessions/sessions.queries';
import type { AdminPayment } from '../admin.queries';

/** One page of payments with their session's status, refunds and Stripe reference. */
export function PaymentsTable({ payments, zone, locale }: { payments: AdminPayment[]; zone: string; locale: string }) {
  return (
    <DataTable
      label="Payments"
      columns={['Paid', 'Consultation', 'Client', 'Lawyer', 'Amount', 'Refunds', 'Stripe']}
      minWidth={980}
    >
      {payments.map((p) => {
        const look = STATUS_LOOK[p.sessionStatus as SessionStatus];
        return (
          <Table.Tr key={p.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.createdAt, zone, locale)}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={paths.admin.session(p.sessionId)} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                {p.offeringTitle}
              </Anchor>
              <Badge size="sm" variant="light" tt="none" color={look?.color ?? 'gray'}>
                {look?.label ?? p.sessionStatus}
              </Badge>
            </Table.Td>
            <Table.Td>{p.clientName ?? '—'}</Table.Td>
            <Table.Td>{p.lawyerName ?? '—'}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              {formatMoney(p.amountMinor, p.currency, locale)}
              {p.refundedMinor > 0 && (
                <Text size="xs" c="gray.7">
                  {formatMoney(p.refundedMinor, p.currency, locale)} refunded
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {p.refunds.length === 0 ? (
                <Text size="sm" c="gray.7">
                  None
                </Text>
              ) : (
                <Stack gap={4}>
                  {p.refunds.map((r) => (
                    <Group key={r.id} gap={6} wrap="nowrap">
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(r.amountMinor, r.currency, locale)}
                      </Text>
                      <Badge size="sm" variant="light" tt="none" color={REFUND_LOOK[r.status].color} style={{ flexShrink: 0 }}>
                        {REFUND_LOOK[r.status].label}
                      </Badge>
                    </Group>
                  ))}
                </Stack>
              )}
            </Table.Td>
            <Table.Td>
              <Code fz="xs">{p.stripePaymentIntentId ?? p.stripeCheckoutSessionId}</Code>
            </Table.Td>
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}
