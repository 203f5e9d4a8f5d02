import { Badge, Code, Table, Text, UnstyledButton } from '@mantine/core';
import { Fragment, useState } from 'react';
import { DataTable } from '../../../components/data-table';
import type { EmailMessage } from '../admin.queries';

export const STATUS_COLOR: Record<EmailMessage['status'], string> = {
  PENDING: 'yellow',
  SENT: 'green',
  CAPTURED: 'blue',
  FAILED: 'red',
};

/** One page of the outbox; a captured email's subject opens its body below the row. */
export function OutboxTable({ emails }: { emails: EmailMessage[] }) {
  const [expanded, setExpanded] = useState<string | null>(null);
  return (
    <DataTable label="Emails" columns={['Created', 'To', 'Subject', 'Status', 'Attempts']} minWidth={720}>
      {emails.map((m) => (
        <Fragment key={m.id}>
          <Table.Tr>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(m.createdAt).toLocaleString()}</Table.Td>
            <Table.Td>{m.to}</Table.Td>
            <Table.Td>
              {m.body ? (
                <UnstyledButton
                  onClick={() => setExpanded(expanded === m.id ? null : m.id)}
                  aria-expanded={expanded === m.id}
                  aria-controls={`email-body-${m.id}`}
                  c="indigo.7"
                  fw={500}
                  fz="sm"
                >
                  {m.subject}
                </UnstyledButton>
              ) : (
                m.subject
              )}
              <Text size="xs" c="gray.7">
                {m.template}
              </Text>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Badge
                variant="light"
                color={STATUS_COLOR[m.status]}
                tt="none"
                styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
              >
                {m.status.charAt(0) + m.status.slice(1).toLowerCase()}
              </Badge>
              {m.lastError && (
                <Text size="xs" c="red.7">
                  {m.lastError}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{m.attempts}</Table.Td>
          </Table.Tr>
          {m.body && expanded === m.id && (
            <Table.Tr id={`email-body-${m.id}`}>
              <Table.Td colSpan={5}>
                <Code block style={{ whiteSpace: 'pre-wrap' }} aria-label={`Body of ${m.subject}`}>
                  {m.body}
                </Code>
              </Table.Td>
            </Table.Tr>
          )}
        </Fragment>
      ))}
    </DataTable>
  );
}
