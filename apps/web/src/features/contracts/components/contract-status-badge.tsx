import { Badge } from '@mantine/core';
import { STATUS_LOOK } from '../contract-labels';
import type { ContractStatus } from '../contracts.types';

export function ContractStatusBadge({ status, size = 'md' }: { status: ContractStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { label, color } = STATUS_LOOK[status];
  return (
    <Badge color={color} variant="light" tt="none" size={size}>
      {label}
    </Badge>
  );
}
