import { Alert, Button, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { zoneLabel } from '../../../lib/time';
import { useUpdateProfile } from '../../profile/profile.queries';
import { ownAvailabilityQueryOptions } from '../availability.queries';

/**
 * A lawyer's weekly hours are written in their availability zone; their dashboard shows times in
 * their account zone. When the two differ the lawyer is told, with a one-click fix (the account
 * follows the hours), so the two can never silently disagree.
 */
export function ZoneMismatchAlert({ accountZone }: { accountZone: string }) {
  const availability = useQuery(ownAvailabilityQueryOptions());
  const update = useUpdateProfile();
  const hoursZone = availability.data?.timeZone;
  if (!hoursZone || hoursZone === accountZone) return null;
  return (
    <Alert color="orange" title="Your time zones differ" role="alert">
      <Text size="sm">
        Your weekly hours are set in <strong>{zoneLabel(hoursZone)}</strong>, but your account (and this dashboard) uses{' '}
        <strong>{zoneLabel(accountZone)}</strong>. Session times are shown in your account zone, so they will not look like your hours.
      </Text>
      <Group mt="xs" gap="xs">
        <Button size="xs" loading={update.isPending} onClick={() => update.mutate({ timeZone: hoursZone })}>
          Use {hoursZone} for my account
        </Button>
      </Group>
    </Alert>
  );
}
