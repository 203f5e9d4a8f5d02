import { Alert, Anchor, Container, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/query-state';
import { formatDateTime, zoneLabel } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { ZoneMismatchAlert } from './components/zone-mismatch-alert';
import { ownAvailabilityQueryOptions } from './availability.queries';
import { Blackouts } from './components/blackouts';
import { DateOverrides } from './components/date-overrides';
import { WeeklyHoursForm } from './components/weekly-hours-form';

/** `/lawyer/availability`: weekly hours in the lawyer's zone, date overrides and blackouts. */
export function AvailabilityPage() {
  const { zone: viewerZone, locale } = useTimeZone();
  const availability = useQuery(ownAvailabilityQueryOptions());

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Availability"
          description="When clients can book you. Free times are computed from these rules, minus booked sessions and buffers."
        />
        <ZoneMismatchAlert accountZone={viewerZone} />
        {availability.isPending ? (
          <LoadingState label="Loading your availability" />
        ) : availability.isError ? (
          <ErrorState error={availability.error} onRetry={() => void availability.refetch()} />
        ) : (
          <>
            {!availability.data.configured ? (
              <Alert color="yellow" title="No availability yet">
                Clients cannot book you until you save your weekly hours. You also need an active{' '}
                <Anchor component={Link} to={paths.lawyer.offerings}>
                  offering
                </Anchor>
                .
              </Alert>
            ) : (
              <Text size="sm" c="gray.7" role="status">
                {availability.data.nextAvailableAt && availability.data.timeZone
                  ? `Next free time: ${formatDateTime(availability.data.nextAvailableAt, availability.data.timeZone, locale)} (${zoneLabel(availability.data.timeZone)}).`
                  : 'No free time in the next 60 days (or it is being recomputed).'}
              </Text>
            )}
            <WeeklyHoursForm
              key={JSON.stringify([
                availability.data.timeZone,
                availability.data.weekly,
                availability.data.bufferBeforeMinutes,
                availability.data.bufferAfterMinutes,
                availability.data.minimumNoticeMinutes,
                availability.data.maxSessionsPerDay,
              ])}
              availability={availability.data}
              defaultZone={viewerZone}
            />
            <DateOverrides availability={availability.data} locale={locale} />
            <Blackouts availability={availability.data} locale={locale} />
          </>
        )}
      </Stack>
    </Container>
  );
}
