import { Container, Pagination, Paper, SegmentedControl, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { RejectLawyerModal } from './components/reject-lawyer-modal';
import { VerificationTable } from './components/verification-table';
import { VerifyLawyerModal } from './components/verify-lawyer-modal';
import { adminLawyersQueryOptions, type AdminLawyer } from './lawyer.queries';

const PAGE_SIZE = 20;
const STATUSES = ['PENDING_VERIFICATION', 'VERIFIED', 'REJECTED', 'ALL'] as const;
/** `?status=…&page=…`; the pending queue is the default. */
const PARAMS = { status: oneOfParam(STATUSES, 'PENDING_VERIFICATION') };
const FILTERS: { value: (typeof STATUSES)[number]; label: string }[] = [
  { value: 'PENDING_VERIFICATION', label: 'Pending' },
  { value: 'VERIFIED', label: 'Verified' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'ALL', label: 'All' },
];

export function VerificationQueuePage() {
  const list = usePagedListParams(PARAMS);
  const filter = list.filters.status;
  const page = list.page;
  const [rejecting, setRejecting] = useState<AdminLawyer | null>(null);
  const status = filter === 'ALL' ? null : filter;
  const lawyers = useQuery(adminLawyersQueryOptions(status, page, PAGE_SIZE));
  const [verifying, setVerifying] = useState<AdminLawyer | null>(null);
  const totalPages = lawyers.data ? Math.max(1, Math.ceil(lawyers.data.total / PAGE_SIZE)) : 1;

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
          onChange={(value) => list.setFilters({ status: PARAMS.status.parse([value]) })}
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
          <VerificationTable
            lawyers={lawyers.data.items}
            onVerify={setVerifying}
            onReject={setRejecting}
          />
        )}
        {lawyers.data && totalPages > 1 && (
          <Pagination total={totalPages} value={page} onChange={list.setPage} aria-label="Lawyer pages" />
        )}
      </Stack>

      <RejectLawyerModal lawyer={rejecting} onClose={() => setRejecting(null)} />
      <VerifyLawyerModal lawyer={verifying} onClose={() => setVerifying(null)} />
    </Container>
  );
}
