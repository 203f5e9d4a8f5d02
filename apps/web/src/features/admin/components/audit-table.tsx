import { Badge, Button, Code, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { DataTable } from '../../../components/data-table';
import { formatDateTime } from '../../../lib/time';
import type { AuditEvent } from '../admin.queries';
import { actorLabel, describeAuditEvent, subjectLabel } from '../audit-describe';

/**
 * One page of audit entries, newest first: a sentence for each, who and what by name, and the
 * raw entry (payload, ids, hashes) on demand.
 */
export function AuditTable({ entries, zone, locale }: { entries: AuditEvent[]; zone: string; locale: string }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (seq: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  return (
    <DataTable
      label="Audit entries"
      columns={['#', `Time (${zone})`, 'What happened', 'Actor', 'Subject', { label: 'Raw entry', visuallyHidden: true }]}
      minWidth={900}
      verticalSpacing="xs"
      striped
    >
      {entries.map((e) => {
        const expanded = open.has(e.seq);
        return (
          <Fragment key={e.seq}>
            <Table.Tr>
              <Table.Td ff="monospace">{e.seq}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.occurredAt, zone, locale)}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Text size="sm">{describeAuditEvent(e, locale)}</Text>
                <Badge variant="light" color="gray" tt="none" size="sm" mt={4}>
                  {e.action}
                </Badge>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Text size="sm">{actorLabel(e)}</Text>
                {e.actorEmail && (
                  <Text size="xs" c="gray.7">
                    {e.actorEmail}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Text size="sm">{subjectLabel(e)}</Text>
              </Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  aria-expanded={expanded}
                  aria-controls={`audit-raw-${e.seq}`}
                  onClick={() => toggle(e.seq)}
                  aria-label={`${expanded ? 'Hide' : 'Show'} the raw entry #${e.seq}`}
                >
                  {expanded ? 'Hide raw' : 'Raw'}
                </Button>
              </Table.Td>
            </Table.Tr>
            {expanded && (
              <Table.Tr id={`audit-raw-${e.seq}`}>
                <Table.Td colSpan={6}>
                  <Stack gap={4}>
                    <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                      {JSON.stringify(
                        {
                          seq: e.seq,
                          occurredAt: e.occurredAt,
                          action: e.action,
                          actorId: e.actorId,
                          actorRole: e.actorRole,
                          subjectType: e.subjectType,
                          subjectId: e.subjectId,
                          payload: e.payload,
                          requestId: e.requestId,
                          prevHash: e.prevHash,
                          hash: e.hash,
                        },
                        null,
                        2,
                      )}
                    </Code>
                  </Stack>
                </Table.Td>
              </Table.Tr>
            )}
          </Fragment>
        );
      })}
    </DataTable>
  );
}
