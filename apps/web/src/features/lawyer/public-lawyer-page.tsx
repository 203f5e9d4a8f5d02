import { jurisdictionName, languageName, PRACTICE_AREA_LABELS, type PracticeArea } from '@lm/domain';
import { Avatar, Badge, Button, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { ApiError } from '@lm/api-client';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { NotFoundPage } from '../../app/not-found-page';
import { paths } from '../../app/paths';
import { PageTitle } from '../../components/page-title';
import { ErrorState, LoadingState } from '../../components/query-state';
import { useTimeZone } from '../auth/use-time-zone';
import { LawyerReviewsSection } from '../reviews/components/lawyer-reviews-section';
import { RatingBadge } from '../reviews/components/rating-summary';
import { FreeTimesPreview } from './components/free-times-preview';
import { LawyerOfferings } from './components/lawyer-offerings';
import { publicLawyerQueryOptions } from './lawyer.queries';

/** A verified lawyer's public profile with the consultations they sell; anyone else is a 404. */
export function PublicLawyerPage() {
  const { id = '' } = useParams();
  const lawyer = useQuery(publicLawyerQueryOptions(id));
  const { zone } = useTimeZone();

  if (lawyer.isPending) return <LoadingState label="Loading the lawyer's profile" />;
  if (lawyer.isError) {
    if (lawyer.error instanceof ApiError && (lawyer.error.status === 404 || lawyer.error.status === 400)) return <NotFoundPage />;
    return (
      <Container size="md" py="xl">
        <ErrorState error={lawyer.error} onRetry={() => void lawyer.refetch()} />
      </Container>
    );
  }
  const l = lawyer.data;
  // Names in the viewer's language (English for unknown languages): "Spain", "New York, United States".
  const locale = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return (
    <Container size="md" py="xl">
      <PageTitle>{l.displayName}</PageTitle>
      {/* Long unbroken words (a title, a URL in the bio) wrap instead of widening the page. */}
      <Paper withBorder radius="md" p="xl" style={{ overflowWrap: 'anywhere' }}>
        <Stack gap="lg">
          <Group gap="lg" wrap="nowrap">
            <Avatar src={l.photoUrl} name={l.displayName} size={88} radius="xl" color="indigo" alt="" />
            <Stack gap={4}>
              <Group gap="sm">
                <Title order={1}>{l.displayName}</Title>
                <Badge color="green" variant="light">
                  Verified lawyer
                </Badge>
              </Group>
              <RatingBadge rating={l.rating} locale={locale} />
              <Text c="gray.7">
                {l.barJurisdiction ?? ''}
                {l.barNumber ? ` · Bar no. ${l.barNumber}` : ''}
              </Text>
            </Stack>
          </Group>
          {l.practiceAreas.length > 0 && (
            <Stack gap={6}>
              <Title order={2} fz="sm" c="gray.7" tt="uppercase">
                Practice areas
              </Title>
              <Group gap={6}>
                {l.practiceAreas.map((a) => (
                  <Badge key={a} variant="light" tt="none">
                    {PRACTICE_AREA_LABELS[a as PracticeArea] ?? a}
                  </Badge>
                ))}
              </Group>
            </Stack>
          )}
          <Group gap="xl">
            {l.jurisdictions.length > 0 && (
              <Stack gap={2}>
                <Title order={2} fz="sm" c="gray.7" tt="uppercase">
                  Jurisdictions
                </Title>
                <Text>{l.jurisdictions.map((code) => jurisdictionName(code, locale)).join(', ')}</Text>
              </Stack>
            )}
            {l.languages.length > 0 && (
              <Stack gap={2}>
                <Title order={2} fz="sm" c="gray.7" tt="uppercase">
                  Languages
                </Title>
                <Text>{l.languages.map((code) => languageName(code, locale)).join(', ')}</Text>
              </Stack>
            )}
          </Group>
          {l.bio && <Text style={{ whiteSpace: 'pre-line' }}>{l.bio}</Text>}
          <FreeTimesPreview lawyer={l} />
          <LawyerOfferings lawyer={l} />
          <Group>
            <Button component={Link} to={paths.lawyers} variant="default">
              Back to lawyers
            </Button>
          </Group>
        </Stack>
      </Paper>
      {/* Published client reviews: the rating summary, then the list. */}
      <LawyerReviewsSection lawyerId={l.id} zone={zone} locale={locale} />
    </Container>
  );
}
