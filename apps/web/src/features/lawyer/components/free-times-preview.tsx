import { formatMoney } from '@lm/domain';
import { Badge, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { formatDate, formatTime, localDateKey, zoneLabel } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { freeTimesQueryOptions, type PublicLawyer } from '../lawyer.queries';

/**
 * A read-only look at when the lawyer is free: the next free times of one offering (its duration
 * decides what fits), in the viewer's zone, labelled with it. Booking still happens after payment,
 * in the session's slot picker; nothing here can be clicked to book.
 */
export function FreeTimesPreview({ lawyer }: { lawyer: PublicLawyer }) {
  const headingId = useId();
  const { zone, locale } = useTimeZone();
  const [offeringId, setOfferingId] = useState(lawyer.offerings[0]?.id ?? '');
  const offering = lawyer.offerings.find((o) => o.id === offeringId);
  const preview = useQuery({ ...freeTimesQueryOptions(lawyer.id, offeringId), enabled: !!offering });
  if (!offering) return null;

  const slots = preview.data?.slots ?? [];
  const days = new Map<string, { label: string; times: string[] }>();
  for (const s of slots) {
    const key = localDateKey(s.startAt, zone);
    const day = days.get(key) ?? { label: formatDate(s.startAt, zone, locale), times: [] };
    day.times.push(formatTime(s.startAt, zone, locale));
    days.set(key, day);
  }

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={2} fz="sm" c="gray.7" tt="uppercase" id={headingId}>
        Next free times
      </Title>
      {lawyer.offerings.length > 1 && (
        <SegmentedControl
          aria-label="Consultation for the free times"
          value={offeringId}
          onChange={setOfferingId}
          data={lawyer.offerings.map((o) => ({
            value: o.id,
            label: `${o.durationMinutes} min · ${formatMoney(o.priceMinor, o.currency, locale)}`,
          }))}
          style={{ alignSelf: 'flex-start', maxWidth: '100%' }}
        />
      )}
      {preview.isPending ? (
        <Text size="sm" c="gray.7">
          Looking up free times…
        </Text>
      ) : preview.isError ? (
        <Text size="sm" c="gray.7">
          Free times cannot be shown right now; you can still book and pick a time after paying.
        </Text>
      ) : slots.length === 0 ? (
        <Text size="sm" c="gray.7">
          No free time for a {offering.durationMinutes}-minute consultation in the next two weeks.
        </Text>
      ) : (
        <Stack gap={6} role="list" aria-label={`Free times for ${offering.title}`}>
          {[...days.values()].map((day) => (
            <Group key={day.label} gap="xs" role="listitem" wrap="wrap">
              <Text size="sm" fw={600} miw={130}>
                {day.label}
              </Text>
              {day.times.map((time) => (
                <Badge key={time} variant="outline" color="gray" tt="none" size="lg" fw={500}>
                  {time}
                </Badge>
              ))}
            </Group>
          ))}
        </Stack>
      )}
      <Text size="sm" c="gray.7">
        Times in your time zone, {zoneLabel(zone)}
        {preview.data?.timeZone && preview.data.timeZone !== zone ? `; the lawyer works in ${zoneLabel(preview.data.timeZone)}` : ''}.
        {preview.data?.hasMore ? ' More times are free.' : ''} You pay first, then choose your time.
      </Text>
    </Stack>
  );
}
