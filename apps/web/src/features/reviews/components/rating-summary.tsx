import { Group, Progress, Stack, Text } from '@mantine/core';
import { formatAverage, ratingSentence } from '../review-labels';
import type { LawyerRating } from '../reviews.queries';
import { Stars } from './stars';

/**
 * The average (big, with stars), the count, and one bar per star level (5 down to 1). Each bar is
 * a labelled meter ("5 stars: 8 reviews, 67%"), so the distribution is readable without sight.
 */
export function RatingSummary({ rating, locale }: { rating: LawyerRating; locale: string }) {
  const { average, count, distribution } = rating;
  if (average === null || count === 0) {
    return (
      <Text c="gray.7" data-testid="rating-summary">
        No reviews yet.
      </Text>
    );
  }
  return (
    <Group align="flex-start" gap="xl" wrap="wrap" data-testid="rating-summary">
      <Stack gap={4} align="center" miw={140}>
        <Text fz={40} fw={700} lh={1} aria-hidden>
          {formatAverage(average, locale)}
        </Text>
        <Stars value={average} size={20} label={ratingSentence(average, count, locale)} />
        <Text size="sm" c="gray.7" aria-hidden>
          {count} review{count === 1 ? '' : 's'}
        </Text>
      </Stack>
      <Stack gap={6} style={{ flex: 1, minWidth: 220 }} component="ul" p={0} m={0} aria-label="Ratings by stars">
        {([5, 4, 3, 2, 1] as const).map((stars) => {
          const n = distribution[stars];
          const percent = count ? Math.round((n / count) * 100) : 0;
          const words = `${stars} star${stars === 1 ? '' : 's'}: ${n} review${n === 1 ? '' : 's'}, ${percent}%`;
          return (
            <Group key={stars} component="li" gap="sm" wrap="nowrap" style={{ listStyle: 'none' }}>
              <Text size="sm" w={52} aria-hidden>
                {stars} star{stars === 1 ? '' : 's'}
              </Text>
              <Progress value={percent} color="yellow.7" size="md" style={{ flex: 1 }} aria-label={words} />
              <Text size="sm" c="gray.7" w={32} ta="right" aria-hidden>
                {n}
              </Text>
            </Group>
          );
        })}
      </Stack>
    </Group>
  );
}

/** "★ 4.7 (12)" on a directory card, or "New" when there is no review yet. */
export function RatingBadge({ rating, locale }: { rating: { average: number | null; count: number }; locale: string }) {
  if (rating.average === null || rating.count === 0) {
    return (
      <Text size="sm" c="gray.7">
        No reviews yet
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Stars value={rating.average} size={14} label={ratingSentence(rating.average, rating.count, locale)} />
      <Text size="sm" fw={600} aria-hidden>
        {formatAverage(rating.average, locale)}
      </Text>
      <Text size="sm" c="gray.7" aria-hidden>
        ({rating.count})
      </Text>
    </Group>
  );
}
