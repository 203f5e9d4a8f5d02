import { PRACTICE_AREA_LABELS, type PracticeArea } from '@lm/domain';
import {
  Anchor,
  Badge,
  Button,
  Container,
  Group,
  Modal,
  Pagination,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { fieldErrorsOf } from '../../lib/field-errors';
import { LawyerStatusBadge } from './components/lawyer-status-badge';
import { adminLawyersQueryOptions, useDecideLawyer, type AdminLawyer, type LawyerStatusValue } from './lawyer.queries';

const PAGE_SIZE = 20;
const FILTERS = [
  { value: 'PENDING_VERIFICATION', label: 'Pending' },
  { value: 'VERIFIED', label: 'Verified' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'ALL', label: 'All' },
];

export function VerificationQueuePage() {
  const [filter, setFilter] = useState('PENDING_VERIFICATION');
  const [page, setPage] = useState(1);
  const [rejecting, setRejecting] = useState<AdminLawyer | null>(null);
  const [reason, setReason] = useState('');
  const status = filter === 'ALL' ? null : (filter as LawyerStatusValue);
  const lawyers = useQuery(adminLawyersQueryOptions(status, page, PAGE_SIZE));
  const decide = useDecideLawyer();
  const totalPages = lawyers.data ? Math.max(1, Math.ceil(lawyers.data.total / PAGE_SIZE)) : 1;
  const rejectErrors = fieldErrorsOf(decide.error);

  const closeReject = () => {
    setRejecting(null);
    setReason('');
    decide.reset();
  };

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Lawyer verification"
          description="Check each lawyer's bar membership before their profile becomes visible."
        />
        <SegmentedControl
          aria-label="Verification status"
          data={FILTERS}
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setPage(1);
          }}
          w="fit-content"
        />

        {lawyers.isPending ? (
          <LoadingState label="Loading lawyers" />
        ) : lawyers.isError ? (
          <ErrorState error={lawyers.error} onRetry={() => void lawyers.refetch()} />
        ) : lawyers.data.items.length === 0 ? (
          <Paper withBorder radius="md">
            <EmptyState title={filter === 'PENDING_VERIFICATION' ? 'The queue is empty' : 'No lawyers'}>
              {filter === 'PENDING_VERIFICATION' ? 'Every lawyer has been reviewed.' : 'No lawyer has this status.'}
            </EmptyState>
          </Paper>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={820}>
              <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Lawyers">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Lawyer</Table.Th>
                    <Table.Th>Bar number</Table.Th>
                    <Table.Th>Practice areas</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {lawyers.data.items.map((l) => (
                    <Table.Tr key={l.userId}>
                      <Table.Td>
                        <Text fw={500} size="sm">
                          {l.displayName}
                        </Text>
                        <Text size="xs" c="gray.7">
                          {l.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{l.barNumber ?? '—'}</Text>
                        <Text size="xs" c="gray.7">
                          {l.barJurisdiction ?? 'No bar given'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {l.practiceAreas.length === 0 ? (
                            <Text size="xs" c="gray.6">
                              None listed
                            </Text>
                          ) : (
                            l.practiceAreas.map((a) => (
                              <Badge key={a} variant="outline" color="gray" tt="none" size="sm">
                                {PRACTICE_AREA_LABELS[a as PracticeArea] ?? a}
                              </Badge>
                            ))
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <LawyerStatusBadge status={l.status} />
                        {l.status === 'REJECTED' && l.rejectionReason && (
                          <Text size="xs" c="gray.7" mt={4}>
                            {l.rejectionReason}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {l.status === 'VERIFIED' && (
                            <Anchor component={Link} to={paths.lawyerProfile(l.userId)} size="sm">
                              Public profile
                            </Anchor>
                          )}
                          {l.status === 'PENDING_VERIFICATION' && (
                            <Button
                              size="xs"
                              onClick={() => decide.mutate({ id: l.userId, verdict: 'verify' })}
                              loading={
                                decide.isPending && decide.variables.id === l.userId && decide.variables.verdict === 'verify'
                              }
                              aria-label={`Verify ${l.displayName}`}
                            >
                              Verify
                            </Button>
                          )}
                          {l.status !== 'REJECTED' && (
                            <Button
                              size="xs"
                              variant="light"
                              color="red"
                              onClick={() => setRejecting(l)}
                              aria-label={`Reject ${l.displayName}`}
                            >
                              {l.status === 'VERIFIED' ? 'Revoke' : 'Reject'}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        {lawyers.data && totalPages > 1 && (
          <Pagination total={totalPages} value={page} onChange={setPage} aria-label="Lawyer pages" />
        )}
      </Stack>

      <Modal opened={rejecting !== null} onClose={closeReject} title={`Reject ${rejecting?.displayName ?? ''}`} centered>
        {rejecting && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              decide.mutate({ id: rejecting.userId, verdict: 'reject', reason: reason.trim() }, { onSuccess: closeReject });
            }}
          >
            <Stack gap="md">
              <Textarea
                label="Reason"
                description="Shown to the lawyer, who can fix the profile and resubmit."
                required
                autosize
                minRows={3}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={rejectErrors.reason}
                data-autofocus
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={closeReject}>
                  Cancel
                </Button>
                <Button type="submit" color="red" loading={decide.isPending} disabled={!reason.trim()}>
                  Reject
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Container>
  );
}
