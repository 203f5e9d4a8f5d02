import { Anchor, Container, Paper, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { ReviewStateBadges } from './components/review-state-badges';
import { Stars } from './components/stars';
import { ADMIN_STATUS_OPTIONS } from './review-labels';
import { adminReviewsQueryOptions, type AdminReview, type AdminReviewsQuery } from './reviews.queries';

const PAGE_SIZE = 20;
/** `?status=HIDDEN&page=…` (the reported queue is the default). */
const PARAMS = { status: oneOfParam(['REPORTED', 'HIDDEN', 'ALL'], 'REPORTED') };

/** `/admin/reviews`: the moderation queue — reviews with open reports first, or the hidden ones, or all. */
export function AdminReviewsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const query: AdminReviewsQuery = { status: list.filters.status, page: list.page, pageSize: PAGE_SIZE };
  const reviews = useQuery(adminReviewsQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Review moderation" description={`Reported and hidden reviews. Times in ${zone}.`} />
        <Paper withBorder p="md" radius="md">
          <SegmentedControl
            aria-label="Show"
            value={list.filters.status}
            onChange={(value) => list.setFilters({ status: PARAMS.status.parse([value]) })}
            data={ADMIN_STATUS_OPTIONS}
          />
        </Paper>
        {reviews.isPending ? (
          <LoadingState label="Loading reviews" />
        ) : reviews.isError ? (
          <ErrorState error={reviews.error} onRetry={() => void reviews.refetch()} />
        ) : reviews.data.items.length === 0 ? (
          <EmptyState title={list.filters.status === 'REPORTED' ? 'No open reports' : 'No reviews'}>
            {list.filters.status === 'REPORTED' ? 'Nothing waits for a decision.' : 'Nothing matches this filter.'}
          </EmptyState>
        ) : (
          <AdminReviewsTable reviews={reviews.data.items} zone={zone} locale={locale} />
        )}
        {reviews.data && (
          <ListFooter
            total={reviews.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="review"
            pagesLabel="Review pages"
          />
        )}
      </Stack>
    </Container>
  );
}

function AdminReviewsTable({ reviews, zone, locale }: { reviews: AdminReview[]; zone: string; locale: string }) {
  return (
    <DataTable label="Reviews" columns={['Submitted', 'Rating', 'Review', 'By', 'About', 'State']} minWidth={960}>
      {reviews.map((r) => (
        <Table.Tr key={r.id}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.createdAt, zone, locale)}</Table.Td>
          <Table.Td>
            <Stars value={r.rating} size={14} label={`${r.rating} out of 5 stars`} />
          </Table.Td>
          <Table.Td style={{ overflowWrap: 'anywhere', maxWidth: 360 }}>
            <Anchor component={Link} to={paths.admin.review(r.id)}>
              {r.comment ? (
                <Text component="span" lineClamp={2} inherit>
                  {r.comment}
                </Text>
              ) : (
                'Rating only, no comment'
              )}
            </Anchor>
          </Table.Td>
          <Table.Td>
            {r.authorName ?? 'Unknown account'} ({r.authorSide === 'CLIENT' ? 'client' : 'lawyer'})
          </Table.Td>
          <Table.Td>{r.subjectName ?? 'Unknown account'}</Table.Td>
          <Table.Td>
            <ReviewStateBadges review={r} />
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
