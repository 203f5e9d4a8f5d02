import { Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import type { LocalWindow } from '../availability.queries';

/** A window's end of '24:00' (the midnight ending the day) shows as 00:00 in a time input, and back. */
const toInput = (end: string) => (end === '24:00' ? '00:00' : end);
const fromInput = (end: string) => (end === '00:00' ? '24:00' : end);

interface WindowsEditorProps {
  windows: LocalWindow[];
  onChange: (windows: LocalWindow[]) => void;
  /** Names the controls, e.g. "Monday": "Monday from", "Remove Monday hours 2". */
  label: string;
  /** Shown when there are no windows. */
  emptyText: string;
  defaultWindow?: LocalWindow;
  /** What is wrong with this day's windows (shown under them, the inputs marked invalid). */
  error?: string;
}

const minutesOf = (hhmm: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/**
 * The API's rules for one day's windows (start before end, '24:00' ends the day, no overlaps),
 * as a message for people; null when the day is fine.
 */
export function windowsProblem(windows: LocalWindow[]): string | null {
  const spans = windows.map((w) => ({ start: minutesOf(w.start), end: w.end === '24:00' ? 1440 : minutesOf(w.end) }));
  if (spans.some((s) => Number.isNaN(s.start) || Number.isNaN(s.end))) return 'Enter both times, e.g. 09:00 – 17:00.';
  if (spans.some((s) => s.end <= s.start)) return 'Each end time must be after its start time (00:00 as an end means midnight).';
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  if (sorted.some((s, i) => i > 0 && s.start < sorted[i - 1]!.end)) return 'These hours overlap; make each window end before the next starts.';
  return null;
}

/** Wall-clock windows of one day (start–end); an end of 00:00 means midnight at the end of the day. */
export function WindowsEditor({
  windows,
  onChange,
  label,
  emptyText,
  defaultWindow = { start: '09:00', end: '17:00' },
  error,
}: WindowsEditorProps) {
  const set = (index: number, patch: Partial<LocalWindow>) => onChange(windows.map((w, i) => (i === index ? { ...w, ...patch } : w)));
  const suffix = (index: number) => (windows.length > 1 ? ` (${index + 1})` : '');

  return (
    <Stack gap={6}>
      {windows.length === 0 && (
        <Text size="sm" c="gray.7">
          {emptyText}
        </Text>
      )}
      {windows.map((w, index) => (
        <Group key={index} gap="xs" wrap="nowrap" align="center">
          <TextInput
            type="time"
            aria-label={`${label} from${suffix(index)}`}
            value={w.start}
            onChange={(e) => set(index, { start: e.currentTarget.value })}
            w={130}
            required
            error={!!error}
          />
          <Text size="sm" aria-hidden>
            –
          </Text>
          <TextInput
            type="time"
            aria-label={`${label} until${suffix(index)}`}
            value={toInput(w.end)}
            onChange={(e) => set(index, { end: fromInput(e.currentTarget.value) })}
            w={130}
            required
            error={!!error}
          />
          <CloseButton
            aria-label={`Remove ${label} hours${suffix(index)}`}
            onClick={() => onChange(windows.filter((_, i) => i !== index))}
          />
        </Group>
      ))}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      <Group>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => onChange([...windows, windows.length ? nextWindow(windows[windows.length - 1]!) : defaultWindow])}
          aria-label={`Add hours on ${label}`}
        >
          Add hours
        </Button>
      </Group>
    </Stack>
  );
}

/** A sensible next window after `last`: one hour later, two hours long, within the day. */
function nextWindow(last: LocalWindow): LocalWindow {
  const [h = 0, m = 0] = fromInput(last.end).split(':').map(Number);
  const start = Math.min(h * 60 + m + 60, 22 * 60);
  const end = Math.min(start + 120, 24 * 60);
  const fmt = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return { start: fmt(start), end: fmt(end) };
}
