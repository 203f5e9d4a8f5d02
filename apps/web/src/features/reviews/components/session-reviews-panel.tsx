import { Alert, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorState, LoadingState } from '../../../components/query-state';
import { formatDateTimeZoned } from '../../../lib/time';
import { sessionReviewsQueryOptions, type Review, type SessionReviews } from '../reviews.queries';
import { ReviewForm } from './review-form';
import { HiddenBadge, ReviewItem } from './review-item';

interface SessionReviewsPanelProps {
  sessionId: string;
  /** The viewer's side in the session. */
  asClient: boolean;
  counterpartName: string;
  zone: string;
  locale: string;
}

/**
 * "Reviews" on a completed session, for its client and its lawyer: the form while the window is
 * open (with its deadline in the viewer's zone), my review once sent, the other side's once both
 * are published, and why reviewing is not possible when it is not.
 */
export function SessionReviewsPanel({ sessionId, asClient, counterpartName, zone, locale }: SessionReviewsPanelProps) {
  const reviews = useQuery(sessionReviewsQueryOptions(sessionId));

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="reviews-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="reviews-heading">
          Reviews
        </Title>
        {reviews.isPending ? (
          <LoadingState label="Loading reviews" />
        ) : reviews.isError ? (
          <ErrorState error={reviews.error} onRetry={() => void reviews.refetch()} />
        ) : (
          <PanelBody
            data={reviews.data}
            asClient={asClient}
            counterpartName={counterpartName}
            sessionId={sessionId}
            zone={zone}
            locale={locale}
          />
        )}
      </Stack>
    </Paper>
  );
}

function PanelBody({
  data,
  asClient,
  counterpartName,
  sessionId,
  zone,
  locale,
}: SessionReviewsPanelProps & { data: SessionReviews }) {
  const deadline = data.window.deadlineAt ? formatDateTimeZoned(data.window.deadlineAt, zone, locale) : null;
  const audience = asClient
    ? `Your review of ${counterpartName} is public, on their profile, without your name.`
    : 'Your review of the client is never published: the client sees it once both reviews are in (or the window closes), and our trust and safety team can read it.';

  return (
    <Stack gap="md">
      <Text size="sm" c="gray.7">
        Reviews are double-blind: neither of you sees the other’s review until both have submitted or the review window has closed
        {deadline ? ` (${deadline})` : ''}. That way nobody can answer a review with a review. {audience}
      </Text>
      {data.mine ? (
        <OwnReview review={data.mine} asClient={asClient} zone={zone} locale={locale} />
      ) : data.canReview ? (
        <Stack gap="sm">
          {deadline && (
            <Text size="sm" fw={600}>
              You can leave a review until {deadline}.
            </Text>
          )}
          <ReviewForm sessionId={sessionId} counterpartName={counterpartName} />
        </Stack>
      ) : (
        <Alert color="gray" title="You cannot leave a review" role="status">
          {data.refusal?.message ?? 'Reviewing is not open for this session.'}
        </Alert>
      )}
      {data.theirs ? (
        <Stack gap="xs">
          <Title order={3} fz="md">
            {asClient ? `${counterpartName}’s review of you` : 'The client’s review of you'}
          </Title>
          <ReviewItem
            rating={data.theirs.rating}
            comment={data.theirs.comment}
            at={data.theirs.publishedAt ?? data.theirs.createdAt}
            byline={asClient ? 'From your lawyer (seen by you and our team only)' : 'From your client (public)'}
            response={data.theirs.response}
            responseBy={asClient ? 'Your response' : 'Response from the lawyer'}
            zone={zone}
            locale={locale}
          />
        </Stack>
      ) : (
        data.mine &&
        !data.mine.publishedAt && (
          <Text size="sm" c="gray.7">
            The other side’s review, if they leave one, appears here once both reviews are published.
          </Text>
        )
      )}
    </Stack>
  );
}

function OwnReview({ review, asClient, zone, locale }: { review: Review; asClient: boolean; zone: string; locale: string }) {
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Title order={3} fz="md">
          Your review
        </Title>
        {review.hidden ? (
          <HiddenBadge>Hidden by a moderator</HiddenBadge>
        ) : review.publishedAt ? (
          <Badge color="green" variant="light" tt="none">
            Published
          </Badge>
        ) : (
          <Badge color="gray" variant="light" tt="none">
            Waiting for publication
          </Badge>
        )}
      </Group>
      <ReviewItem
        rating={review.rating}
        comment={review.comment}
        response={review.response}
        responseBy={asClient ? 'Response from the lawyer' : 'Your response'}
        at={review.publishedAt ?? review.createdAt}
        byline={
          review.publishedAt
            ? asClient
              ? 'Shown on the lawyer’s public profile'
              : 'Seen by the client and our trust and safety team only'
            : 'Submitted; published when both have reviewed or the window closes'
        }
        zone={zone}
        locale={locale}
      />
    </Stack>
  );
}
