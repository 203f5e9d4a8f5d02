import { Alert, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../../../lib/errors';
import { ErrorState, LoadingState } from '../../../components/query-state';
import { preferencesQueryOptions, useUpdateNotificationPreferences, type NotificationPreferences } from '../notifications.queries';

/**
 * Email for non-essential messages, saved as soon as a switch changes. Essential ones
 * (payments, bookings, changes of time, cancellations, refunds, verification) always go out;
 * everything still shows up in the notification list.
 */
export function NotificationPreferencesSection() {
  const prefs = useQuery(preferencesQueryOptions());
  const update = useUpdateNotificationPreferences();

  const set = (change: Partial<NotificationPreferences>) => {
    if (prefs.data) update.mutate({ ...prefs.data, ...change });
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="email-preferences-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="email-preferences-title">
          Email preferences
        </Title>
        <Text size="sm" c="gray.7">
          Payments, bookings, changes of time, cancellations and refunds are always emailed. Everything also appears in your
          notifications here.
        </Text>
        {prefs.isPending ? (
          <LoadingState label="Loading email preferences" />
        ) : prefs.isError ? (
          <ErrorState error={prefs.error} onRetry={() => void prefs.refetch()} />
        ) : (
          <>
            <Switch
              label="Session reminders by email"
              description="24 hours and 1 hour before each session"
              checked={prefs.data.emailReminders}
              disabled={update.isPending}
              onChange={(e) => set({ emailReminders: e.currentTarget.checked })}
            />
            <Switch
              label="Other session updates by email"
              description="Expired checkouts and completed sessions"
              checked={prefs.data.emailSessionUpdates}
              disabled={update.isPending}
              onChange={(e) => set({ emailSessionUpdates: e.currentTarget.checked })}
            />
          </>
        )}
        {update.isError && (
          <Alert color="red" role="alert" title="Not saved">
            {describeError(update.error).message}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
