import { Badge } from '@mantine/core';
import { TICKET_STATUS_LOOK } from '../support-labels';
import type { TicketStatus } from '../support.queries';

export function TicketStatusBadge({ status, size = 'md' }: { status: TicketStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { label, color } = TICKET_STATUS_LOOK[status];
  return (
    <Badge color={color} variant="light" tt="none" size={size} style={{ flexShrink: 0 }}>
      {label}
    </Badge>
  );
}
