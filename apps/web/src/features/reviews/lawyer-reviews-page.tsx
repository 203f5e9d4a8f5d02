import { Badge, Button, Container, Group, SegmentedControl, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { useTimeZone } from '../auth/use-time-zone';
import { ReportReviewModal, type ReportRequest } from './components/report-review-modal';
import { RespondForm } from './components/respond-form';
import { HiddenBadge, ReviewItem } from './components/review-item';
import { myReviewsQueryOptions, type MyReview, type MyReviewsQuery } from './reviews.queries';

const PAGE_SIZE = 10;
/** `?direction=written&page=…` (received is the default). */
const PARAMS = { direction: oneOfParam(['received', 'written'], 'received') };

/**
 * `/lawyer/reviews`: the reviews clients wrote about me (respond once, publicly; report one that
 * * breaks the rules) and the ones I wrote about clients (never public: the client and trust and safety see them).
 */
export function LawyerReviewsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const direction = list.filters.direction;
  const query: MyReviewsQuery = { direction, page: list.page, pageSize: PAGE_SIZE };
  const reviews = useQuery(myReviewsQueryOptions(query));
  const [responding, setResponding] = useState<string | null>(null);
  const [reporting, setReporting] = useState<ReportRequest | null>(null);

  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Reviews"
          description="Client reviews are published once both sides have reviewed or the review window has closed. You may respond once to each."
        />
        <SegmentedControl
          aria-label="Which reviews"
          value={direction}
          onChange={(value) => list.setFilters({ direction: value === 'written' ? 'written' : 'received' })}
          data={[
            { value: 'received', label: 'About me' },
            { value: 'written', label: 'Written by me' },
          ]}
          maw={360}
        />
        {reviews.isPending ? (
          <LoadingState label="Loading reviews" />
        ) : reviews.isError ? (
          <ErrorState error={reviews.error} onRetry={() => void reviews.refetch()} />
        ) : reviews.data.items.length === 0 ? (
          <EmptyState title="No reviews yet">
            {direction === 'received'
              ? 'Reviews from your clients appear here once they are published.'
              : 'You can review a client on a completed session’s page.'}
          </EmptyState>
        ) : (
          <Stack
            gap="sm"
            component="ul"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
            aria-label={direction === 'received' ? 'Reviews about me' : 'Reviews written by me'}
          >
            {reviews.data.items.map((r) => (
              <li key={r.id}>
                <ReceivedReview
                  review={r}
                  received={direction === 'received'}
                  responding={responding === r.id}
                  onRespond={(open) => setResponding(open ? r.id : null)}
                  onReport={(target) => setReporting({ reviewId: r.id, target })}
                  zone={zone}
                  locale={locale}
                />
              </li>
            ))}
          </Stack>
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
      <ReportReviewModal request={reporting} onClose={() => setReporting(null)} />
    </Container>
  );
}

function ReceivedReview({
  review: r,
  received,
  responding,
  onRespond,
  onReport,
  zone,
  locale,
}: {
  review: MyReview;
  received: boolean;
  responding: boolean;
  onRespond: (open: boolean) => void;
  onReport: (target: 'REVIEW' | 'RESPONSE') => void;
  zone: string;
  locale: string;
}) {
  const canRespond = received && r.status === 'PUBLISHED' && r.response === null;
  return (
    <ReviewItem
      rating={r.rating}
      comment={r.comment}
      at={r.publishedAt ?? r.createdAt}
      byline={`${received ? 'From' : 'About'} ${r.counterpartName ?? 'the client'} · ${r.offeringTitle}`}
      response={r.response}
      responseBy="Your response"
      zone={zone}
      locale={locale}
      badges={
        <>
          {r.status === 'PENDING' && (
            <Badge color="gray" variant="light" tt="none">
              Not published yet
            </Badge>
          )}
          {r.status === 'HIDDEN' && <HiddenBadge>Hidden by a moderator</HiddenBadge>}
          {r.response?.hidden && <HiddenBadge>Response hidden by a moderator</HiddenBadge>}
        </>
      }
      actions={
        received && r.publishedAt !== null ? (
          <Group gap="xs">
            {canRespond && !responding && (
              <Button size="xs" variant="light" onClick={() => onRespond(true)}>
                Respond
              </Button>
            )}
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => onReport('REVIEW')}
              aria-label={`Report the review of ${r.offeringTitle}`}
            >
              Report
            </Button>
          </Group>
        ) : undefined
      }
    >
      {responding && canRespond && <RespondForm reviewId={r.id} onDone={() => onRespond(false)} />}
    </ReviewItem>
  );
}
