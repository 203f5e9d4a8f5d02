import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDate } from '../../../lib/time';
import type { ReviewReply } from '../reviews.queries';
import { Stars } from './stars';

interface ReviewItemProps {
  rating: number;
  comment: string;
  /** When it became public (or was written, for one not published yet). */
  at: string;
  /** "Verified client · Divorce advice". */
  byline: ReactNode;
  response?: ReviewReply | null;
  /** Who responded, for the response's heading ("Response from the lawyer"). */
  responseBy?: string;
  zone: string;
  locale: string;
  badges?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}

/** One review: stars, date, who, the comment, and the lawyer's response indented under it. */
export function ReviewItem({
  rating,
  comment,
  at,
  byline,
  response,
  responseBy = 'Response from the lawyer',
  zone,
  locale,
  badges,
  actions,
  children,
}: ReviewItemProps) {
  return (
    <Paper withBorder radius="md" p="md" component="article" style={{ overflowWrap: 'anywhere' }}>
      <Stack gap="xs">
        <Group justify="space-between" gap="sm">
          <Group gap="sm">
            <Stars value={rating} label={`${rating} out of 5 stars`} />
            <Text size="sm" c="gray.7">
              {formatDate(at, zone, locale)}
            </Text>
            {badges}
          </Group>
          {actions}
        </Group>
        <Text size="sm" c="gray.7">
          {byline}
        </Text>
        {comment ? (
          <Text style={{ whiteSpace: 'pre-line' }}>{comment}</Text>
        ) : (
          <Text c="gray.7" fs="italic" size="sm">
            No comment, only a rating.
          </Text>
        )}
        {response && (
          <Paper bg="gray.0" radius="sm" p="sm" ml="lg" component="section" aria-label={responseBy}>
            <Stack gap={4}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {responseBy}
                </Text>
                <Text size="xs" c="gray.7">
                  {formatDate(response.createdAt, zone, locale)}
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                {response.body}
              </Text>
            </Stack>
          </Paper>
        )}
        {children}
      </Stack>
    </Paper>
  );
}

export function HiddenBadge({ children = 'Hidden' }: { children?: ReactNode }) {
  return (
    <Badge color="red" variant="light" tt="none">
      {children}
    </Badge>
  );
}
