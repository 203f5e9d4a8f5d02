import { Badge } from '@mantine/core';
import type { LawyerStatusValue } from '../lawyer.queries';

const LOOK: Record<LawyerStatusValue, { color: string; label: string }> = {
  PENDING_VERIFICATION: { color: 'yellow', label: 'Pending verification' },
  VERIFIED: { color: 'green', label: 'Verified' },
  REJECTED: { color: 'red', label: 'Rejected' },
};

export function LawyerStatusBadge({ status }: { status: LawyerStatusValue }) {
  const { color, label } = LOOK[status];
  return (
    <Badge color={color} variant="light" size="lg">
      {label}
    </Badge>
  );
}
