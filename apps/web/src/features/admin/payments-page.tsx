import { formatMoney } from '@lm/domain';
import { Badge, Code, Container, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { STATUS_LOOK, REFUND_LOOK } from '../sessions/session-labels';
import type { SessionStatus } from '../sessions/sessions.queries';
import { paymentsQueryOptions, type PaymentsQuery } from './admin.queries';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/admin/payments`: every payment, newest first, with its refunds and Stripe references. */
export function PaymentsPage() {
  const { zone, locale } = useTimeZone();
  const [page, setPage] = useState(1);
  const [sessionId, setSessionId] = useState('');
  const [debouncedSessionId] = useDebouncedValue(sessionId.trim(), 300);
  const sessionFilterInvalid = debouncedSessionId !== '' && !UUID.test(debouncedSessionId);
  const query: PaymentsQuery = {
    page,
    pageSize: PAGE_SIZE,
    ...(debouncedSessionId && !sessionFilterInvalid ? { sessionId: debouncedSessionId } : {}),
  };
  const payments = useQuery(paymentsQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Payments" description={`Confirmed Stripe payments and their refunds. Times in ${zone}.`} />
        <Paper withBorder p="md" radius="md">
          <TextInput
            label="Session ID"
            placeholder="Exact session id"
            value={sessionId}
            error={sessionFilterInvalid ? 'A session id looks like 3f2b…-…' : undefined}
            onChange={(e) => {
              setSessionId(e.currentTarget.value);
              setPage(1);
            }}
            maw={420}
          />
        </Paper>
        {payments.isPending ? (
          <LoadingState label="Loading payments" />
        ) : payments.isError ? (
          <ErrorState error={payments.error} onRetry={() => void payments.refetch()} />
        ) : payments.data.items.length === 0 ? (
          <EmptyState title="No payments">Payments appear here once Stripe confirms them.</EmptyState>
        ) : (
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
                  {payments.data.items.map((p) => {
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
        )}
        {payments.data && (
          <ListFooter
            total={payments.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="payment"
            pagesLabel="Payment pages"
          />
        )}
      </Stack>
    </Container>
  );
}
