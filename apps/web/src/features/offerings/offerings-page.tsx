import { formatMoney } from '@lm/domain';
import { Alert, Anchor, Badge, Button, Container, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { describeError } from '../../lib/errors';
import { formatDuration } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { ownLawyerProfileQueryOptions } from '../lawyer/lawyer.queries';
import { OfferingFormModal } from './components/offering-form-modal';
import { ownOfferingsQueryOptions, useUpdateOffering, type Offering } from './offerings.queries';

/** `/lawyer/offerings`: the consultations a lawyer sells — create, edit, activate, deactivate. */
export function OfferingsPage() {
  const { locale } = useTimeZone();
  const offerings = useQuery(ownOfferingsQueryOptions());
  const profile = useQuery(ownLawyerProfileQueryOptions());
  const toggle = useUpdateOffering();
  const [editing, setEditing] = useState<Offering | 'new' | null>(null);

  const setActive = (o: Offering, active: boolean) =>
    toggle.mutate(
      // The description is sent unchanged: the generated type requires it (the DTO documents a default).
      { id: o.id, body: { active, description: o.description } },
      {
        onSuccess: () =>
          notifications.show({
            color: 'green',
            title: active ? 'Offering activated' : 'Offering deactivated',
            message: active ? `Clients can book “${o.title}”.` : `“${o.title}” is no longer bookable.`,
          }),
        onError: (error) => notifications.show({ color: 'red', ...describeError(error) }),
      },
    );

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Offerings"
          description="The consultations you sell: a fixed duration at a fixed price. Clients pay first, then pick a time."
          actions={<Button onClick={() => setEditing('new')}>New offering</Button>}
        />
        {profile.data && profile.data.status !== 'VERIFIED' && (
          <Alert color="yellow" title="Not visible to clients yet">
            Your offerings appear in the directory once your profile is verified.{' '}
            <Anchor component={Link} to={paths.lawyer.profile}>
              Complete your profile
            </Anchor>
            .
          </Alert>
        )}

        {offerings.isPending ? (
          <LoadingState label="Loading your offerings" />
        ) : offerings.isError ? (
          <ErrorState error={offerings.error} onRetry={() => void offerings.refetch()} />
        ) : offerings.data.length === 0 ? (
          <EmptyState title="No offerings yet">
            Create your first consultation, e.g. a 45-minute initial consultation. Then set your{' '}
            <Anchor component={Link} to={paths.lawyer.availability}>
              availability
            </Anchor>
            .
          </EmptyState>
        ) : (
          <DataTable
            label="Offerings"
            columns={['Title', 'Duration', 'Price', 'Status', { label: 'Actions', visuallyHidden: true }]}
            minWidth={680}
          >
            {offerings.data.map((o) => (
              <Table.Tr key={o.id}>
                {/* A long unbroken title wraps instead of pushing the actions off-screen. */}
                <Table.Td style={{ overflowWrap: 'anywhere', minWidth: 160 }}>
                  <Text fw={500}>{o.title}</Text>
                  {o.description && (
                    <Text size="sm" c="gray.7" lineClamp={2}>
                      {o.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDuration(o.durationMinutes)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoney(o.priceMinor, o.currency, locale)}</Table.Td>
                <Table.Td>
                  <Badge color={o.active ? 'green' : 'gray'} variant="light" tt="none">
                    {o.active ? 'Active' : 'Inactive'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(o)} aria-label={`Edit ${o.title}`}>
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      color={o.active ? 'gray' : 'green'}
                      loading={toggle.isPending && toggle.variables?.id === o.id}
                      onClick={() => setActive(o, !o.active)}
                      aria-label={`${o.active ? 'Deactivate' : 'Activate'} ${o.title}`}
                    >
                      {o.active ? 'Deactivate' : 'Activate'}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </Stack>
      <OfferingFormModal
        offering={editing === 'new' ? null : editing}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          setEditing(null);
          notifications.show({ color: 'green', title: 'Offering saved', message: `“${saved.title}” is saved.` });
        }}
      />
    </Container>
  );
}
