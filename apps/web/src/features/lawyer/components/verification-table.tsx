import { PRACTICE_AREA_LABELS, type PracticeArea } from '@lm/domain';
import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { DataTable } from '../../../components/data-table';
import type { AdminLawyer } from '../lawyer.queries';
import { LawyerStatusBadge } from './lawyer-status-badge';

interface VerificationTableProps {
  lawyers: AdminLawyer[];
  onVerify: (lawyer: AdminLawyer) => void;
  onReject: (lawyer: AdminLawyer) => void;
}

/** One page of lawyers with their bar details and the verify / reject (or revoke) buttons. */
export function VerificationTable({ lawyers, onVerify, onReject }: VerificationTableProps) {
  return (
    <DataTable
      label="Lawyers"
      columns={['Lawyer', 'Bar number', 'Practice areas', 'Status', { label: 'Actions', visuallyHidden: true }]}
      minWidth={820}
    >
      {lawyers.map((l) => (
        <Table.Tr key={l.userId}>
          <Table.Td>
            <Text fw={500} size="sm">
              {l.displayName}
            </Text>
            <Text size="xs" c="gray.7">
              {l.email}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{l.barNumber ?? '—'}</Text>
            <Text size="xs" c="gray.7">
              {l.barJurisdiction ?? 'No bar given'}
            </Text>
          </Table.Td>
          <Table.Td>
            <Group gap={4}>
              {l.practiceAreas.length === 0 ? (
                <Text size="xs" c="gray.7">
                  None listed
                </Text>
              ) : (
                l.practiceAreas.map((a) => (
                  <Badge key={a} variant="outline" color="gray" tt="none" size="sm">
                    {PRACTICE_AREA_LABELS[a as PracticeArea] ?? a}
                  </Badge>
                ))
              )}
            </Group>
          </Table.Td>
          <Table.Td>
            <LawyerStatusBadge status={l.status} />
            {l.status === 'REJECTED' && l.rejectionReason && (
              <Text size="xs" c="gray.7" mt={4}>
                {l.rejectionReason}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Group gap="xs" justify="flex-end" wrap="nowrap">
              <Anchor component={Link} to={paths.admin.lawyer(l.userId)} size="sm" aria-label={`Review ${l.displayName}`}>
                Review
              </Anchor>
              {l.status === 'VERIFIED' && (
                <Anchor component={Link} to={paths.lawyerProfile(l.userId)} size="sm">
                  Public profile
                </Anchor>
              )}
              {l.status === 'PENDING_VERIFICATION' && (
                <Button
                  size="xs"
                  onClick={() => onVerify(l)}
                  aria-label={`Verify ${l.displayName}`}
                >
                  Verify
                </Button>
              )}
              {l.status !== 'REJECTED' && (
                <Button size="xs" variant="light" color="red" onClick={() => onReject(l)} aria-label={`Reject ${l.displayName}`}>
                  {l.status === 'VERIFIED' ? 'Revoke' : 'Reject'}
                </Button>
              )}
            </Group>
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
