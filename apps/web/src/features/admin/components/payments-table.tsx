import { formatMoney } from '@lm/domain';
import { Badge, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { formatDateTime } from '../../../lib/time';
import { REFUND_LOOK, STATUS_LOOK } from '../../sessions/session-labels';
import type { SessionStatus } from '../../sessions/sessions.queries';
import type { AdminPayment } from '../admin.queries';

/** One page of payments with their session's status, refunds and Stripe reference. */
export function PaymentsTable({ payments, zone, locale }: { payments: AdminPayment[]; zone: string; locale: string }) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Payments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Paid</Table.Th>
              <Table.Th>Consultation</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>Lawyer</Table.Th>
              <Table.Th>Amount</Table.Th>
              <Table.Th>Refunds</Table.Th>
              <Table.Th>Stripe</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {payments.map((p) => {
              const look = STATUS_LOOK[p.sessionStatus as SessionStatus];
              return (
                <Table.Tr key={p.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.createdAt, zone, locale)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {p.offeringTitle}
                    </Text>
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
                            <Badge
                              size="sm"
                              variant="light"
                              tt="none"
                              color={REFUND_LOOK[r.status].color}
                              style={{ flexShrink: 0 }}
                            >
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
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
