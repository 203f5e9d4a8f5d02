import { Badge } from '@mantine/core';
import { STATUS_LOOK } from '../session-labels';
import type { SessionStatus } from '../sessions.queries';

export function SessionStatusBadge({ status, size = 'md' }: { status: SessionStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { label, color } = STATUS_LOOK[status];
  return (
    <Badge color={color} variant="light" tt="none" size={size} styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>
      {label}
    </Badge>
  );
}
