import { formatMoney, jurisdictionName, languageName, PRACTICE_AREA_LABELS } from '@lm/domain';
import { Anchor, Avatar, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { formatDateTime } from '../../../lib/time';
import { RatingBadge } from '../../reviews/components/rating-summary';
import type { DirectoryLawyer } from '../directory.queries';

/** One directory result: who, what they practise, from what price, and when they are next free. */
export function LawyerCard({ lawyer: l, zone, locale }: { lawyer: DirectoryLawyer; zone: string; locale: string }) {
  return (
    <Paper withBorder radius="md" p="lg" component="article" aria-labelledby={`lawyer-${l.id}`}>
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Avatar src={l.photoUrl} name={l.displayName} size={64} radius="xl" color="indigo" alt="" />
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" align="flex-start" gap="sm">
            <Stack gap={2}>
              <Title order={2} fz="h4" id={`lawyer-${l.id}`}>
                <Anchor component={Link} to={paths.lawyerProfile(l.id)} c="inherit">
                  {l.displayName}
                </Anchor>
              </Title>
              <RatingBadge rating={l.rating} locale={locale} />
              <Text size="sm" c="gray.7">
                {[
                  l.jurisdictions.length ? `Practises in ${l.jurisdictions.map((c) => jurisdictionName(c, locale)).join(', ')}` : '',
                  l.languages.length ? `Speaks ${l.languages.map((c) => languageName(c, locale)).join(', ')}` : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Stack>
            <Stack gap={0} align="flex-end">
              <Text size="xs" c="gray.7">
                from
              </Text>
              <Text fw={700} fz="lg">
                {formatMoney(l.fromPriceMinor, l.currency, locale)}
              </Text>
            </Stack>
          </Group>
          {l.practiceAreas.length > 0 && (
            <Group gap={6}>
              {l.practiceAreas.map((a) => (
                <Badge key={a} variant="light" tt="none">
                  {PRACTICE_AREA_LABELS[a] ?? a}
                </Badge>
              ))}
            </Group>
          )}
          {l.shortBio && (
            <Text size="sm" lineClamp={3}>
              {l.shortBio}
            </Text>
          )}
          <Group justify="space-between" align="center" mt={4}>
            <Text size="sm" c={l.nextAvailableAt ? 'teal.9' : 'gray.7'}>
              {l.nextAvailableAt ? `Next free: ${formatDateTime(l.nextAvailableAt, zone, locale)}` : 'No free times in the next weeks'}
            </Text>
            <Button component={Link} to={paths.lawyerProfile(l.id)} size="xs" aria-label={`View ${l.displayName} and book`}>
              View and book
            </Button>
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}
