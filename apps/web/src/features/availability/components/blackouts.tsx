import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { EmptyState } from '../../../components/query-state';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { formatDateTime, localInputToUtcIso } from '../../../lib/time';
import { useAddBlackout, useRemoveBlackout, type Availability } from '../availability.queries';

/** The API's limit on a blackout's reason. */
const MAX_REASON = 200;

/** Periods with no bookings at all (a trial, a holiday), typed in the availability's zone and sent as UTC. */
export function Blackouts({ availability, locale }: { availability: Availability; locale: string }) {
  const zone = availability.timeZone;
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const add = useAddBlackout();
  const remove = useRemoveBlackout();
  const serverFields = fieldErrorsOf(add.error);
  const fields = { ...serverFields, ...localErrors };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!zone) return;
    const startAt = localInputToUtcIso(start, zone);
    const endAt = localInputToUtcIso(end, zone);
    const errors: Record<string, string> = {};
    if (!startAt) errors.startAt = 'Enter the start date and time';
    if (!endAt) errors.endAt = 'Enter the end date and time';
    else if (startAt && Date.parse(endAt) <= Date.parse(startAt)) errors.endAt = 'The end must be after the start';
    if (reason.trim().length > MAX_REASON) errors.reason = `Use at most ${MAX_REASON} characters (now ${reason.trim().length})`;
    setLocalErrors(errors);
    if (!startAt || !endAt || Object.keys(errors).length > 0) {
      const first = Object.keys(errors)[0];
      document.getElementById(`blackout-${first}`)?.focus();
      return;
    }
    add.mutate(
      { startAt, endAt, reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Blackout added', message: 'No sessions can be booked in that period.' });
          setStart('');
          setEnd('');
          setReason('');
        },
      },
    );
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="blackouts-heading">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} fz="lg" id="blackouts-heading">
            Blackouts
          </Title>
          <Text size="sm" c="gray.7">
            Periods when you take no sessions at all{zone ? `. Times are in ${zone}.` : '.'}
          </Text>
        </Stack>
        {!availability.configured || !zone ? (
          <Text size="sm" c="gray.7">
            Save your weekly hours first.
          </Text>
        ) : (
          <>
            {availability.blackouts.length === 0 ? (
              <EmptyState title="No blackouts">Nothing blocks your weekly hours.</EmptyState>
            ) : (
              <Table aria-label="Blackouts" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>From</Table.Th>
                    <Table.Th>Until</Table.Th>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {availability.blackouts.map((b) => (
                    <Table.Tr key={b.id}>
                      <Table.Td>{formatDateTime(b.startAt, zone, locale)}</Table.Td>
                      <Table.Td>{formatDateTime(b.endAt, zone, locale)}</Table.Td>
                      <Table.Td>{b.reason}</Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={remove.isPending && remove.variables === b.id}
                          onClick={() => remove.mutate(b.id)}
                          aria-label={`Remove the blackout from ${formatDateTime(b.startAt, zone, locale)}`}
                        >
                          Remove
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <form onSubmit={onSubmit} noValidate aria-label="Add a blackout">
              <Stack gap="sm">
                {add.isError && Object.keys(serverFields).length === 0 && (
                  <Alert color="red" role="alert" title="Could not add the blackout">
                    {describeError(add.error).message}
                  </Alert>
                )}
                <Group align="flex-end" gap="md">
                  <TextInput
                    type="datetime-local"
                    label="From"
                    id="blackout-startAt"
                    required
                    error={fields.startAt}
                    value={start}
                    onChange={(e) => setStart(e.currentTarget.value)}
                  />
                  <TextInput
                    type="datetime-local"
                    label="Until"
                    id="blackout-endAt"
                    required
                    error={fields.endAt}
                    value={end}
                    onChange={(e) => setEnd(e.currentTarget.value)}
                  />
                  <TextInput
                    label="Reason (optional)"
                    id="blackout-reason"
                    description={`At most ${MAX_REASON} characters`}
                    error={fields.reason}
                    value={reason}
                    onChange={(e) => setReason(e.currentTarget.value)}
                    style={{ flex: 1, minWidth: 200 }}
                  />
                </Group>
                <Group>
                  <Button type="submit" variant="light" disabled={!start || !end} loading={add.isPending}>
                    Add blackout
                  </Button>
                </Group>
              </Stack>
            </form>
          </>
        )}
      </Stack>
    </Paper>
  );
}
