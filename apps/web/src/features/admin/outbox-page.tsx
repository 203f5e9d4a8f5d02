import { Badge, Code, Container, Group, Paper, Select, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { outboxQueryOptions, type EmailMessage, type OutboxQuery } from './admin.queries';

const PAGE_SIZE = 20;
const STATUS_COLOR: Record<EmailMessage['status'], string> = {
  PENDING: 'yellow',
  SENT: 'green',
  CAPTURED: 'blue',
  FAILED: 'red',
};
const STATUS_OPTIONS = (Object.keys(STATUS_COLOR) as EmailMessage['status'][]).map((s) => ({
  value: s,
  label: s.charAt(0) + s.slice(1).toLowerCase(),
}));

export function OutboxPage() {
  const [status, setStatus] = useState<OutboxQuery['status'] | null>(null);
  const [to, setTo] = useState('');
  const [debouncedTo] = useDebouncedValue(to.trim(), 300);
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string | null>(null);

  const query: OutboxQuery = {
    page,
    pageSize: PAGE_SIZE,
    ...(status ? { status } : {}),
    ...(debouncedTo ? { to: debouncedTo } : {}),
  };
  const outbox = useQuery(outboxQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Email outbox"
          description="Every email the platform sends. Without an SMTP server, messages are captured here instead of delivered."
        />
        <Paper withBorder p="md" radius="md">
          <Group align="flex-end" gap="md">
            <TextInput
              label="Recipient"
              placeholder="Exact email address"
              value={to}
              onChange={(e) => {
                setTo(e.currentTarget.value);
                setPage(1);
              }}
              style={{ flex: 1, minWidth: 220 }}
            />
            <Select
              label="Status"
              placeholder="Any status"
              data={STATUS_OPTIONS}
              value={status ?? null}
              onChange={(value) => {
                setStatus((value as OutboxQuery['status']) ?? null);
                setPage(1);
              }}
              clearable
              w={180}
            />
          </Group>
        </Paper>

        {outbox.isPending ? (
          <LoadingState label="Loading emails" />
        ) : outbox.isError ? (
          <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />
        ) : outbox.data.items.length === 0 ? (
          <EmptyState title="No emails">Nothing has been sent that matches these filters.</EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Emails">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th>Subject</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Attempts</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {outbox.data.items.map((m) => (
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
                          <Text size="xs" c="gray.6">
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
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}

        {outbox.data && (
          <ListFooter
            total={outbox.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="email"
            pagesLabel="Email pages"
          />
        )}
      </Stack>
    </Container>
  );
}
