import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { EmptyState, ErrorState, LoadingState } from '../../../components/query-state';
import { lawyerRatingQueryOptions, lawyerReviewsQueryOptions } from '../reviews.queries';
import { RatingSummary } from './rating-summary';
import { ReviewItem } from './review-item';

/**
 * The reviews block of a lawyer's public page: the rating summary, then the published client
 * reviews, newest first, with the lawyer's responses; "Load more" fetches the next page.
 */
export function LawyerReviewsSection({ lawyerId, zone, locale }: { lawyerId: string; zone: string; locale: string }) {
  const rating = useQuery(lawyerRatingQueryOptions(lawyerId));
  const reviews = useInfiniteQuery(lawyerReviewsQueryOptions(lawyerId));
  const items = reviews.data?.pages.flatMap((p) => p.items) ?? [];
  const total = reviews.data?.pages[0]?.total ?? 0;

  return (
    <Stack gap="md" mt="xl" component="section" aria-labelledby="reviews-heading">
      <Title order={2} fz="lg" id="reviews-heading">
        Client reviews
      </Title>
      <Paper withBorder radius="md" p="md">
        {rating.isPending ? (
          <LoadingState label="Loading the rating" />
        ) : rating.isError ? (
          <ErrorState error={rating.error} onRetry={() => void rating.refetch()} />
        ) : (
          <RatingSummary rating={rating.data} locale={locale} />
        )}
      </Paper>
      {reviews.isPending ? (
        <LoadingState label="Loading reviews" />
      ) : !reviews.data ? (
        <ErrorState error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No reviews yet">Reviews appear here after clients complete a consultation.</EmptyState>
      ) : (
        <Stack gap="sm">
          <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Reviews">
            {items.map((r) => (
              <li key={r.id}>
                <ReviewItem
                  rating={r.rating}
                  comment={r.comment}
                  at={r.publishedAt}
                  byline={`${r.author} · ${r.offeringTitle}`}
                  response={r.response}
                  zone={zone}
                  locale={locale}
                />
              </li>
            ))}
          </Stack>
          <Group justify="space-between">
            <Text size="sm" c="gray.7" role="status">
              Showing {items.length} of {total} review{total === 1 ? '' : 's'}
            </Text>
            {reviews.hasNextPage && (
              <Button variant="default" onClick={() => void reviews.fetchNextPage()} loading={reviews.isFetchingNextPage}>
                Load more reviews
              </Button>
            )}
          </Group>
          {reviews.isFetchNextPageError && <ErrorState error={reviews.error} onRetry={() => void reviews.fetchNextPage()} />}
        </Stack>
      )}
    </Stack>
  );
}
