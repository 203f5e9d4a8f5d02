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
}

/** Wall-clock windows of one day (start–end); an end of 00:00 means midnight at the end of the day. */
export function WindowsEditor({ windows, onChange, label, emptyText, defaultWindow = { start: '09:00', end: '17:00' } }: WindowsEditorProps) {
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
          />
          <CloseButton
            aria-label={`Remove ${label} hours${suffix(index)}`}
            onClick={() => onChange(windows.filter((_, i) => i !== index))}
          />
        </Group>
      ))}
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
