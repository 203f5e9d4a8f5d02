import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../../components/query-state';
import { describeError } from '../../../lib/errors';
import {
  formatDay,
  formatDuration,
  formatShortDay,
  formatTime,
  formatTimeRange,
  localDateKey,
  timeZoneOptions,
  zoneLabel,
} from '../../../lib/time';
import { bookingPolicyQueryOptions, isSlotTaken, sessionKeys, slotsQueryOptions, type BookingPolicy, type Slot } from '../sessions.queries';

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
  /**
   * A client choosing their own time: show the cancellation/reschedule rules and warn before
   * confirming a time inside the no-change window.
   */
  showPolicy?: boolean;
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

/** What the rules mean for the client, in words (from GET /api/booking-policy). */
export function policySummary(p: BookingPolicy): string {
  return (
    `You can reschedule, or cancel with a ${p.refundPercentBeforeWindow}% refund, until ${p.freeChangeHours} hours before the start. ` +
    `Within ${p.freeChangeHours} hours the time is fixed and cancelling refunds ${p.refundPercentWithinWindow}%. ` +
    `If the lawyer cancels, or asks to move the session and you decline, you get a ${p.refundPercentLawyerCancelled}% refund.`
  );
}

/**
 * Roving tabindex for a row of buttons: one Tab stop, arrow keys (and Home/End) move the focus.
 * Returns the props of the button at `index`.
 */
function useRovingFocus(count: number, activeIndex: number) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const [focused, setFocused] = useState<number | null>(null);
  const current = Math.min(focused ?? Math.max(activeIndex, 0), Math.max(count - 1, 0));
  const move = (to: number) => {
    const next = (to + count) % count;
    setFocused(next);
    refs.current[next]?.focus();
  };
  return (index: number) => ({
    ref: (el: HTMLButtonElement | null) => {
      refs.current[index] = el;
    },
    tabIndex: index === current ? 0 : -1,
    onFocus: () => setFocused(index),
    onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      if (step !== undefined) move(index + step);
      else if (e.key === 'Home') move(0);
      else if (e.key === 'End') move(count - 1);
      else return;
      e.preventDefault();
    },
  });
}

/**
 * Free times for one session, grouped by day in the chosen zone (the viewer's own by default;
 * the lawyer's or any other on request): pick a day, a time, confirm.
 * When the time was taken in the meantime (409 SLOT_NOT_AVAILABLE) the list is refreshed and
 * the viewer is told to pick another.
 */
export function SlotPicker(props: SlotPickerProps) {
  const { sessionId, durationMinutes, zone: ownZone, locale, title, description, confirmLabel, onConfirm, onCancel, showPolicy } = props;
  const [zone, setZone] = useState(ownZone);
  const policy = useQuery({ ...bookingPolicyQueryOptions(), enabled: !!showPolicy });
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
  const lawyerZone = slots.data?.timeZone ?? null;
  const zoneData = useMemo(() => {
    const suggested = [
      { value: ownZone, label: `Your time zone: ${zoneLabel(ownZone)}` },
      ...(lawyerZone && lawyerZone !== ownZone ? [{ value: lawyerZone, label: `Lawyer’s time zone: ${zoneLabel(lawyerZone)}` }] : []),
    ];
    const taken = new Set(suggested.map((z) => z.value));
    return [
      { group: 'Suggested', items: suggested },
      { group: 'All time zones', items: timeZoneOptions(zone).filter((z) => !taken.has(z)).map((z) => ({ value: z, label: z })) },
    ];
  }, [ownZone, lawyerZone, zone]);
  const dayFocus = useRovingFocus(days.length, day ? days.indexOf(day) : 0);
  const timeFocus = useRovingFocus(day?.slots.length ?? 0, day && selected ? day.slots.findIndex((x) => x.startAt === selected.startAt) : 0);
  const freeChangeHours = policy.data?.freeChangeHours ?? null;
  const insideNoChangeWindow =
    showPolicy && selected && freeChangeHours !== null && Date.parse(selected.startAt) - Date.now() <= freeChangeHours * 3_600_000;

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
            Times are shown in <strong>{zone === ownZone ? `your time zone, ${zoneLabel(zone)}` : zoneLabel(zone)}</strong>.
            {lawyerZone && <> The lawyer’s hours are set in {zoneLabel(lawyerZone)}.</>} Each session lasts{' '}
            {formatDuration(durationMinutes)}.
          </Text>
          {showPolicy && policy.data && (
            <Text size="sm" data-testid="booking-policy">
              {policySummary(policy.data)}
            </Text>
          )}
        </Stack>
        <NativeSelect
          label="Show times in"
          data={zoneData}
          value={zone}
          onChange={(e) => setZone(e.currentTarget.value)}
          maw={420}
        />

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

        <Group justify="space-between" wrap="wrap" gap="xs">
          <Button
            variant="default"
            size="xs"
            onClick={() => moveWindow(-1)}
            disabled={windowIndex === 0}
            style={{ flexShrink: 0 }}
            styles={{ label: { overflow: 'visible' } }}
          >
            Earlier dates
          </Button>
          <Text size="sm" fw={500} ta="center" style={{ flex: '1 1 auto' }}>
            {rangeText}
          </Text>
          <Button
            variant="default"
            size="xs"
            onClick={() => moveWindow(1)}
            disabled={windowIndex >= MAX_WINDOWS - 1}
            style={{ flexShrink: 0 }}
            styles={{ label: { overflow: 'visible' } }}
          >
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
              {days.map((d, i) => (
                <Button
                  key={d.key}
                  {...dayFocus(i)}
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
                {day.slots.map((slot, i) => {
                  const isSelected = selected?.startAt === slot.startAt;
                  return (
                    <Button
                      key={slot.startAt}
                      {...timeFocus(i)}
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

        {insideNoChangeWindow && (
          <Alert color="orange" role="alert" title={`This time is less than ${freeChangeHours} hours away`}>
            Once booked it cannot be moved, and cancelling it refunds nothing. Pick a later time if your plans may change.
          </Alert>
        )}

        <Group justify="space-between" align="center">
          <Text size="sm" aria-live="polite">
            {selected
              ? `Selected: ${formatDay(selected.startAt, zone, locale)}, ${formatTimeRange(selected.startAt, selected.endAt, zone, locale)} (${zone})`
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
