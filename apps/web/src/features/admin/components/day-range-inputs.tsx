import { TextInput } from '@mantine/core';

/** The "From (day)" and "To (day, included)" inputs of an admin list's filters. */
export function DayRangeInputs({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (patch: { from: string } | { to: string }) => void;
}) {
  return (
    <>
      <TextInput label="From (day)" type="date" value={from} onChange={(e) => onChange({ from: e.currentTarget.value })} />
      <TextInput label="To (day, included)" type="date" value={to} onChange={(e) => onChange({ to: e.currentTarget.value })} />
    </>
  );
}
