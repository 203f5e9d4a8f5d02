import { Alert, Button, Divider, Grid, Group, NumberInput, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { errorSummary, fieldErrorsOf, useFocusFirstError, type FieldWords } from '../../../lib/field-errors';
import { timeZoneOptions } from '../../../lib/time';
import { useUpdateAvailability, type Availability, type LocalWindow, type WeeklyWindow } from '../availability.queries';
import { windowsProblem, WindowsEditor } from './windows-editor';

const WEEKDAYS = [
  { iso: 1, name: 'Monday' },
  { iso: 2, name: 'Tuesday' },
  { iso: 3, name: 'Wednesday' },
  { iso: 4, name: 'Thursday' },
  { iso: 5, name: 'Friday' },
  { iso: 6, name: 'Saturday' },
  { iso: 7, name: 'Sunday' },
] as const;

type Week = Record<number, LocalWindow[]>;

function weekOf(availability: Availability): Week {
  const week: Week = {};
  for (const { iso } of WEEKDAYS) week[iso] = [];
  if (!availability.configured) {
    // A starting point for a new calendar: office hours on weekdays.
    for (const iso of [1, 2, 3, 4, 5]) week[iso] = [{ start: '09:00', end: '17:00' }];
    return week;
  }
  for (const w of availability.weekly) week[w.weekday]?.push({ start: w.start, end: w.end });
  return week;
}

/** The API's limits (UpdateAvailabilityDto), checked here first and never silently adjusted. */
export const AVAILABILITY_LIMITS = {
  bufferBeforeMinutes: { min: 0, max: 240, noun: 'a buffer' },
  bufferAfterMinutes: { min: 0, max: 240, noun: 'a buffer' },
  minimumNoticeMinutes: { min: 0, max: 43_200, noun: 'a notice' },
  maxSessionsPerDay: { min: 1, max: 48, noun: 'a number' },
} as const;

const WORDS: Record<string, FieldWords> = {
  bufferBeforeMinutes: { noun: 'a buffer', unit: 'minutes' },
  bufferAfterMinutes: { noun: 'a buffer', unit: 'minutes' },
  minimumNoticeMinutes: { noun: 'a notice', unit: 'minutes' },
  maxSessionsPerDay: { noun: 'a number' },
};

/** A number field against its limit: null when fine (or empty and optional), else the message. */
export function rangeProblem(value: number | string, limit: { min: number; max: number; noun: string }, unit = ''): string | null {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (Number.isInteger(n) && n >= limit.min && n <= limit.max) return null;
  return `Enter ${limit.noun} between ${limit.min} and ${limit.max}${unit ? ` ${unit}` : ''}`;
}

const toInt = (value: number | string): number | null => {
  if (value === '' || value === null) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) ? n : NaN;
};

/** The weekly rules in the lawyer's zone, buffers, minimum notice and daily cap (`PUT /api/lawyer/availability`). */
export function WeeklyHoursForm({ availability, defaultZone }: { availability: Availability; defaultZone: string }) {
  const [timeZone, setTimeZone] = useState(availability.timeZone ?? defaultZone);
  const [week, setWeek] = useState<Week>(() => weekOf(availability));
  const [bufferBefore, setBufferBefore] = useState<number | string>(availability.bufferBeforeMinutes);
  const [bufferAfter, setBufferAfter] = useState<number | string>(availability.bufferAfterMinutes);
  const [notice, setNotice] = useState<number | string>(availability.configured ? availability.minimumNoticeMinutes : 720);
  const [maxPerDay, setMaxPerDay] = useState<number | string>(availability.maxSessionsPerDay ?? '');
  const zones = useMemo(() => timeZoneOptions(availability.timeZone, defaultZone), [availability.timeZone, defaultZone]);
  const update = useUpdateAvailability();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const serverFields = fieldErrorsOf(update.error, WORDS);
  const fields = { ...serverFields, ...localErrors };
  const generalError = update.isError && Object.keys(serverFields).length === 0 ? describeError(update.error) : null;
  useFocusFirstError(formRef, fields, `${attempt}:${update.submittedAt}`);
  const summary = errorSummary(fields);

  const copyMondayToWeekdays = () =>
    setWeek((current) => {
      const monday = current[1] ?? [];
      return { ...current, 2: [...monday], 3: [...monday], 4: [...monday], 5: [...monday] };
    });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const errors: Record<string, string> = {};
    for (const { iso } of WEEKDAYS) {
      const problem = windowsProblem(week[iso] ?? []);
      if (problem) errors[`day${iso}`] = problem;
    }
    const checks: [keyof typeof AVAILABILITY_LIMITS, number | string, string][] = [
      ['bufferBeforeMinutes', bufferBefore, 'minutes'],
      ['bufferAfterMinutes', bufferAfter, 'minutes'],
      ['minimumNoticeMinutes', notice, 'minutes'],
    ];
    if (String(maxPerDay).trim() !== '') checks.push(['maxSessionsPerDay', maxPerDay, 'sessions (or leave it empty for no limit)']);
    for (const [field, value, unit] of checks) {
      const problem = rangeProblem(value, AVAILABILITY_LIMITS[field], unit);
      if (problem) errors[field] = problem;
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const weekly: WeeklyWindow[] = WEEKDAYS.flatMap(({ iso }) =>
      (week[iso] ?? []).map((w) => ({ weekday: iso as WeeklyWindow['weekday'], start: w.start, end: w.end })),
    );
    const cap = toInt(maxPerDay);
    update.mutate(
      {
        timeZone,
        weekly,
        bufferBeforeMinutes: toInt(bufferBefore) ?? 0,
        bufferAfterMinutes: toInt(bufferAfter) ?? 0,
        minimumNoticeMinutes: toInt(notice) ?? 0,
        maxSessionsPerDay: cap,
      },
      {
        onSuccess: () =>
          notifications.show({ color: 'green', title: 'Availability saved', message: 'Clients now see your new hours.' }),
      },
    );
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="weekly-heading">
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={2} fz="lg" id="weekly-heading">
              Weekly hours
            </Title>
            <Text size="sm" c="gray.7">
              When clients can book you, every week, in your time zone. An end of 00:00 means midnight.
            </Text>
          </Stack>
          {generalError && (
            <Alert color="red" role="alert" title={generalError.title}>
              {generalError.message}
            </Alert>
          )}
          <Select
            label="Time zone"
            description="Your hours are kept in this zone, so they stay the same across daylight-saving changes."
            data={zones}
            value={timeZone}
            onChange={(value) => value && setTimeZone(value)}
            searchable
            allowDeselect={false}
            error={fields.timeZone}
            maw={420}
          />
          <Divider />
          <Stack gap="sm">
            {WEEKDAYS.map(({ iso, name }) => (
              <Grid key={iso} gap="sm" align="flex-start">
                <Grid.Col span={{ base: 12, sm: 2 }}>
                  <Text fw={600} pt={6}>
                    {name}
                  </Text>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 10 }}>
                  <WindowsEditor
                    label={name}
                    windows={week[iso] ?? []}
                    onChange={(windows) => setWeek((current) => ({ ...current, [iso]: windows }))}
                    emptyText="Unavailable"
                    error={fields[`day${iso}`]}
                  />
                </Grid.Col>
              </Grid>
            ))}
            {fields.weekly && (
              <Text size="sm" c="red.8" role="alert">
                {fields.weekly}
              </Text>
            )}
            <Group>
              <Button variant="default" size="xs" onClick={copyMondayToWeekdays}>
                Copy Monday to Tuesday–Friday
              </Button>
            </Group>
          </Stack>
          <Divider />
          <Grid gap="md">
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <NumberInput
                label="Buffer before (minutes)"
                description="Free time kept before each session"
                min={0}
                max={240}
                allowDecimal={false}
                clampBehavior="none"
                value={bufferBefore}
                onChange={setBufferBefore}
                error={fields.bufferBeforeMinutes}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <NumberInput
                label="Buffer after (minutes)"
                description="Free time kept after each session"
                min={0}
                max={240}
                allowDecimal={false}
                clampBehavior="none"
                value={bufferAfter}
                onChange={setBufferAfter}
                error={fields.bufferAfterMinutes}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <NumberInput
                label="Minimum notice (minutes)"
                description="E.g. 720 = bookable from 12 hours ahead"
                min={0}
                max={43_200}
                allowDecimal={false}
                clampBehavior="none"
                value={notice}
                onChange={setNotice}
                error={fields.minimumNoticeMinutes}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <NumberInput
                label="Max sessions per day"
                description="Leave empty for no limit"
                min={1}
                max={48}
                allowDecimal={false}
                clampBehavior="none"
                value={maxPerDay}
                onChange={setMaxPerDay}
                error={fields.maxSessionsPerDay}
              />
            </Grid.Col>
          </Grid>
          <Group justify="flex-end">
            <Text size="sm" c="red.8" role="alert" aria-live="assertive" style={{ flex: 1 }}>
              {summary}
            </Text>
            <Button type="submit" loading={update.isPending}>
              Save weekly hours
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
