import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { contractSessionEligible } from '../contract-labels';
import { contractsQueryOptions } from '../contracts.queries';
import { ContractStatusBadge } from './contract-status-badge';

const SHOWN = 5;

/**
 * A session's contracts on its page: each with its status, and for the lawyer of a paid session
 * "Create contract". Nothing is shown to a client before there is a contract.
 */
export function SessionContractsCard({
  sessionId,
  sessionStatus,
  asLawyer,
}: {
  sessionId: string;
  sessionStatus: string;
  asLawyer: boolean;
}) {
  const contracts = useQuery(contractsQueryOptions({ sessionId, page: 1, pageSize: SHOWN }));
  const canCreate = asLawyer && contractSessionEligible(sessionStatus);
  const items = contracts.data?.items ?? [];
  if (!canCreate && items.length === 0) return null;
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="session-contracts-heading">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} fz="lg" id="session-contracts-heading">
            Contracts
          </Title>
          {canCreate && (
            <Button component={Link} to={paths.newContract(sessionId)} size="xs">
              Create contract
            </Button>
          )}
        </Group>
        {contracts.isError ? (
          <Text size="sm" c="red.8">
            The contracts could not be loaded.
          </Text>
        ) : items.length === 0 ? (
          <Text size="sm" c="gray.7">
            {contracts.isPending ? 'Loading…' : 'No contract yet. Send the client an engagement letter to sign from a template.'}
          </Text>
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Contracts of this session">
            {items.map((c) => (
              <Group key={c.id} component="li" gap="xs" justify="space-between" wrap="wrap">
                <Anchor component={Link} to={paths.contract(c.id)}>
                  {c.title}
                </Anchor>
                <ContractStatusBadge status={c.status} size="sm" />
              </Group>
            ))}
          </Stack>
        )}
        {(contracts.data?.total ?? 0) > 0 && (
          <Anchor component={Link} to={`${paths.contracts}?view=all&sessionId=${encodeURIComponent(sessionId)}`} size="sm">
            All contracts of this session
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}
