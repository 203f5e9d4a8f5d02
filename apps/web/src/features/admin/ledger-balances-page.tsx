import { formatMoney } from '@lm/domain';
import { Badge, Container, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useTimeZone } from '../auth/use-time-zone';
import { ledgerBalancesQueryOptions, type LedgerBalance } from './admin.queries';

const ACCOUNT_LABEL: Record<LedgerBalance['account'], string> = {
  stripe_clearing: 'Held at Stripe',
  platform_revenue: 'Platform revenue',
  lawyer_payable: 'Owed to lawyer',
  partner_commission_payable: 'Partner commission owed',
  payout_clearing: 'Paid out to payees',
};

function byCurrency(items: LedgerBalance[]): [string, LedgerBalance[]][] {
  const groups = new Map<string, LedgerBalance[]>();
  for (const b of items) groups.set(b.currency, [...(groups.get(b.currency) ?? []), b]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * `/admin/ledger`: the balance of every ledger account per party and currency. Debits are
 * positive, credits negative, so each currency's balances add up to zero (the database enforces
 * it per transaction); the total row shows it.
 */
export function LedgerBalancesPage() {
  const { locale } = useTimeZone();
  const balances = useQuery(ledgerBalancesQueryOptions());

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Ledger balances"
          description="Double-entry balances per account. Money held at Stripe is positive; what the platform owes or earned is negative."
        />
        {balances.isPending ? (
          <LoadingState label="Loading ledger balances" />
        ) : balances.isError ? (
          <ErrorState error={balances.error} onRetry={() => void balances.refetch()} />
        ) : balances.data.items.length === 0 ? (
          <EmptyState title="No ledger entries yet">Balances appear after the first confirmed payment.</EmptyState>
        ) : (
          byCurrency(balances.data.items).map(([currency, items]) => {
            const total = items.reduce((sum, b) => sum + b.balanceMinor, 0);
            return (
              <Paper key={currency} withBorder radius="md" p="lg" component="section" aria-labelledby={`ledger-${currency}`}>
                <Stack gap="sm">
                  <Group justify="space-between">
                    <Title order={2} fz="lg" id={`ledger-${currency}`}>
                      {currency}
                    </Title>
                    <Badge color={total === 0 ? 'green' : 'red'} variant="light" tt="none">
                      {total === 0 ? 'Balanced' : 'Out of balance'}
                    </Badge>
                  </Group>
                  <Table aria-label={`${currency} balances`} verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Account</Table.Th>
                        <Table.Th>Party</Table.Th>
                        <Table.Th ta="right">Balance</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((b) => (
                        <Table.Tr key={`${b.account}:${b.partyId ?? ''}`}>
                          <Table.Td>{ACCOUNT_LABEL[b.account] ?? b.account}</Table.Td>
                          <Table.Td>
                            {b.partyName ?? b.partyId ?? (
                              <Text size="sm" c="gray.7">
                                Platform
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                            {formatMoney(b.balanceMinor, b.currency, locale)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                    <Table.Tfoot>
                      <Table.Tr>
                        <Table.Th colSpan={2}>Total</Table.Th>
                        <Table.Th ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                          {formatMoney(total, currency, locale)}
                        </Table.Th>
                      </Table.Tr>
                    </Table.Tfoot>
                  </Table>
                </Stack>
              </Paper>
            );
          })
        )}
      </Stack>
    </Container>
  );
}
