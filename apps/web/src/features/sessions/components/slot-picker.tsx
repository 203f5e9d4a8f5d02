import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../../components/query-state';
import { describeError } from '../../../lib/errors';
import {
  formatDay,
  formatDuration,
  formatShortDay,
  formatTime,
  formatTimeRange,
  localDateKey,
  zoneLabel,
} from '../../../lib/time';
import { isSlotTaken, sessionKeys, slotsQueryOptions, type Slot } from '../sessions.queries';

const DAY_MS = 86_400_000;
/** Days per page of slots (the API's default window). */
const WINDOW_DAYS = 14;
/** How far ahead one can page (the API answers at most 62 days per call, and slots are computed up to 60). */
const MAX_WINDOWS = 4;

interface SlotPickerProps {
  /** The PAID session to book, or the SCHEDULED one to move. */
  sessionId: string;
  durationMinutes: number;
  /** Zone and locale the times are shown in (the viewer's own). */
  zone: string;
  locale: string;
  title: string;
  description?: string;
  confirmLabel: string;
  /** Books the slot; a rejected promise is shown here (a taken slot refreshes the list). */
  onConfirm: (startAt: string) => Promise<unknown>;
  onCancel?: () => void;
  /** The session's current start (a reschedule): not offered again (its neighbours are). */
  currentStartAt?: string | null;
}

interface Day {
  key: string;
  slots: Slot[];
}

function groupByDay(slots: Slot[], zone: string, exclude: string | null | undefined): Day[] {
  const days = new Map<string, Slot[]>();
  const excluded = exclude ? new Date(exclude).getTime() : null;
  for (const slot of slots) {
    if (excluded !== null && new Date(slot.startAt).getTime() === excluded) continue;
    const key = localDateKey(slot.startAt, zone);
    const list = days.get(key) ?? [];
    list.push(slot);
    days.set(key, list);
  }
  return [...days].map(([key, list]) => ({ key, slots: list }));
}

/**
 * Free times for one session, grouped by day in the viewer’s zone: pick a day, a time, confirm.
 * When the time was taken in the meantime (409 SLOT_NOT_AVAILABLE) the list is refreshed and
 * the viewer is told to pick another.
 */
export function SlotPicker(props: SlotPickerProps) {
  const { sessionId, durationMinutes, zone, locale, title, description, confirmLabel, onConfirm, onCancel } = props;
  const headingId = useId();
  const queryClient = useQueryClient();
  // Fixed at mount so the query key is stable; a minute's precision keeps it readable.
  const [origin] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  const [windowIndex, setWindowIndex] = useState(0);
  const [selectedDay, setSelectedDay] = useState<string | null>(null);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<{ kind: 'taken' } | { kind: 'error'; error: unknown } | null>(null);

  const from = new Date(origin + windowIndex * WINDOW_DAYS * DAY_MS).toISOString();
  const to = new Date(origin + (windowIndex + 1) * WINDOW_DAYS * DAY_MS).toISOString();
  const slots = useQuery(slotsQueryOptions({ sessionId, from, to }));
  const days = useMemo(
    () => (slots.data ? groupByDay(slots.data.slots, zone, props.currentStartAt) : []),
    [slots.data, zone, props.currentStartAt],
  );
  const day = days.find((d) => d.key === selectedDay) ?? days[0] ?? null;

  const moveWindow = (delta: number) => {
    setWindowIndex((i) => i + delta);
    setSelectedDay(null);
    setSelected(null);
  };

  const confirm = async () => {
    if (!selected) return;
    setPending(true);
    setFailure(null);
    try {
      await onConfirm(selected.startAt);
    } catch (error) {
      if (isSlotTaken(error)) {
        setFailure({ kind: 'taken' });
        setSelected(null);
        await queryClient.invalidateQueries({ queryKey: sessionKeys.slots() });
      } else {
        setFailure({ kind: 'error', error });
      }
    } finally {
      setPending(false);
    }
  };

  const rangeText = `${formatShortDay(from, zone, locale)} – ${formatShortDay(new Date(Date.parse(to) - 1), zone, locale)}`;

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} fz="lg" id={headingId}>
            {title}
          </Title>
          {description && <Text size="sm">{description}</Text>}
          <Text size="sm" c="gray.7">
            Times are shown in your time zone, <strong>{zoneLabel(zone)}</strong>. Each session lasts{' '}
            {formatDuration(durationMinutes)}.
          </Text>
        </Stack>

        {failure?.kind === 'taken' && (
          <Alert color="orange" role="alert" title="That time is no longer available">
            Someone booked it a moment ago. The free times below are up to date: please pick another one.
          </Alert>
        )}
        {failure?.kind === 'error' && (
          <Alert color="red" role="alert" title={describeError(failure.error).title}>
            {describeError(failure.error).message}
          </Alert>
        )}

        <Group justify="space-between" wrap="nowrap">
          <Button variant="default" size="xs" onClick={() => moveWindow(-1)} disabled={windowIndex === 0}>
            Earlier dates
          </Button>
          <Text size="sm" fw={500} ta="center">
            {rangeText}
          </Text>
          <Button variant="default" size="xs" onClick={() => moveWindow(1)} disabled={windowIndex >= MAX_WINDOWS - 1}>
            Later dates
          </Button>
        </Group>

        {slots.isPending ? (
          <LoadingState label="Loading free times" />
        ) : slots.isError ? (
          <ErrorState error={slots.error} onRetry={() => void slots.refetch()} />
        ) : !day ? (
          <EmptyState title="No free times in these dates">
            {windowIndex < MAX_WINDOWS - 1 ? 'Try later dates.' : 'The lawyer has no free times in the next weeks.'}
          </EmptyState>
        ) : (
          <>
            <Group gap="xs" role="group" aria-label="Days">
              {days.map((d) => (
                <Button
                  key={d.key}
                  size="compact-sm"
                  variant={d.key === day.key ? 'filled' : 'default'}
                  aria-pressed={d.key === day.key}
                  aria-label={`${formatDay(d.slots[0]!.startAt, zone, locale)}, ${d.slots.length} free time${d.slots.length === 1 ? '' : 's'}`}
                  onClick={() => {
                    setSelectedDay(d.key);
                    setSelected(null);
                  }}
                >
                  {formatShortDay(d.slots[0]!.startAt, zone, locale)}
                </Button>
              ))}
            </Group>
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                {formatDay(day.slots[0]!.startAt, zone, locale)}
              </Text>
              <Group gap="xs" role="group" aria-label={`Free times on ${formatDay(day.slots[0]!.startAt, zone, locale)}`}>
                {day.slots.map((slot) => {
                  const isSelected = selected?.startAt === slot.startAt;
                  return (
                    <Button
                      key={slot.startAt}
                      size="compact-md"
                      variant={isSelected ? 'filled' : 'light'}
                      aria-pressed={isSelected}
                      onClick={() => setSelected(slot)}
                    >
                      {formatTime(slot.startAt, zone, locale)}
                    </Button>
                  );
                })}
              </Group>
            </Stack>
          </>
        )}

        <Group justify="space-between" align="center">
          <Text size="sm" aria-live="polite">
            {selected
              ? `Selected: ${formatDay(selected.startAt, zone, locale)}, ${formatTimeRange(selected.startAt, selected.endAt, zone, locale)}`
              : 'No time selected yet.'}
          </Text>
          <Group gap="xs">
            {onCancel && (
              <Button variant="default" onClick={onCancel} disabled={pending}>
                Back
              </Button>
            )}
            <Button onClick={() => void confirm()} disabled={!selected} loading={pending}>
              {confirmLabel}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
