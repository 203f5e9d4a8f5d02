import { Alert, Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { EmptyState } from '../../../components/query-state';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { formatLocalDate, todayIn } from '../../../lib/time';
import { useRemoveOverride, useSetOverride, type Availability, type LocalWindow } from '../availability.queries';
import { windowsProblem, WindowsEditor } from './windows-editor';

const describeWindows = (windows: LocalWindow[]) =>
  windows.length === 0 ? 'Unavailable all day' : windows.map((w) => `${w.start}–${w.end === '24:00' ? '00:00' : w.end}`).join(', ');

/** Dates whose hours differ from the weekly rules (a holiday, a late evening). Needs the weekly hours first. */
export function DateOverrides({ availability, locale }: { availability: Availability; locale: string }) {
  const zone = availability.timeZone;
  const [date, setDate] = useState('');
  const [closed, setClosed] = useState(true);
  const [windows, setWindows] = useState<LocalWindow[]>([{ start: '09:00', end: '13:00' }]);
  const setOverride = useSetOverride();
  const removeOverride = useRemoveOverride();
  const [windowsError, setWindowsError] = useState<string | null>(null);
  const serverFields = fieldErrorsOf(setOverride.error);
  const dateError = serverFields.date ?? null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!date) return;
    const problem = closed ? null : windowsProblem(windows);
    setWindowsError(problem);
    if (problem) {
      document.querySelector<HTMLInputElement>('[aria-label^="That date from"]')?.focus();
      return;
    }
    setOverride.mutate(
      { date, windows: closed ? [] : windows },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Date saved', message: `${formatLocalDate(date, locale)}: ${describeWindows(closed ? [] : windows)}.` });
          setDate('');
        },
      },
    );
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="overrides-heading">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} fz="lg" id="overrides-heading">
            Date overrides
          </Title>
          <Text size="sm" c="gray.7">
            Different hours on one date{zone ? ` (in ${zone})` : ''}, replacing the weekly hours of that day.
          </Text>
        </Stack>
        {!availability.configured ? (
          <Text size="sm" c="gray.7">
            Save your weekly hours first.
          </Text>
        ) : (
          <>
            {availability.overrides.length === 0 ? (
              <EmptyState title="No overrides">Every date follows your weekly hours.</EmptyState>
            ) : (
              <Table aria-label="Date overrides" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Hours</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {availability.overrides.map((o) => (
                    <Table.Tr key={o.date}>
                      <Table.Td>{formatLocalDate(o.date, locale)}</Table.Td>
                      <Table.Td>{describeWindows(o.windows)}</Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={removeOverride.isPending && removeOverride.variables === o.date}
                          onClick={() => removeOverride.mutate(o.date)}
                          aria-label={`Remove the override of ${formatLocalDate(o.date, locale)}`}
                        >
                          Remove
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <form onSubmit={onSubmit} noValidate aria-label="Add a date override">
              <Stack gap="sm">
                {setOverride.isError && Object.keys(serverFields).length === 0 && (
                  <Alert color="red" role="alert" title="Could not save the date">
                    {describeError(setOverride.error).message}
                  </Alert>
                )}
                <Group align="flex-end" gap="md">
                  <TextInput
                    type="date"
                    label="Date"
                    required
                    min={zone ? todayIn(zone) : undefined}
                    value={date}
                    onChange={(e) => setDate(e.currentTarget.value)}
                    error={dateError}
                    w={180}
                  />
                  <Checkbox
                    label="Unavailable all day"
                    checked={closed}
                    onChange={(e) => setClosed(e.currentTarget.checked)}
                    mb={8}
                  />
                </Group>
                {!closed && (
                  <WindowsEditor
                    label="That date"
                    windows={windows}
                    onChange={setWindows}
                    emptyText="Unavailable all day"
                    error={windowsError ?? serverFields.windows}
                  />
                )}
                <Group>
                  <Button type="submit" variant="light" disabled={!date} loading={setOverride.isPending}>
                    Save date
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
