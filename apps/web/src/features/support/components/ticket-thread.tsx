import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import type { UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/time';
import type { SupportMessage } from '../support.queries';

export const MESSAGE_MAX = 5000;

const ROLE_NAME: Record<SupportMessage['authorRole'], string> = {
  CLIENT: 'client',
  LAWYER: 'lawyer',
  PARTNER: 'partner',
  ADMIN: 'support',
};

/** Who wrote a message, as the viewer reads it: the reporter sees "You" and "LexMarket support". */
function authorOf(m: SupportMessage, viewer: 'REPORTER' | 'ADMIN'): string {
  if (viewer === 'REPORTER') return m.authorRole === 'ADMIN' ? 'LexMarket support' : 'You';
  return `${m.authorName ?? 'Unknown'} (${ROLE_NAME[m.authorRole]})`;
}

/**
 * A ticket's conversation between its reporter and support, oldest first, with a reply box
 * under it. `reply` is the mutation that posts a message (the reporter's or an admin's route).
 */
export function TicketThread({
  messages,
  viewer,
  zone,
  locale,
  reply,
  replyLabel = 'Your reply',
}: {
  messages: SupportMessage[];
  viewer: 'REPORTER' | 'ADMIN';
  zone: string;
  locale: string;
  reply: UseMutationResult<unknown, Error, string>;
  replyLabel?: string;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const serverField = fieldErrorsOf(reply.error).body;
  const shownError = error ?? serverField ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = body.trim();
    if (!text) return setError('Write a message first.');
    if (text.length > MESSAGE_MAX) return setError(`Use at most ${MESSAGE_MAX} characters.`);
    setError(null);
    reply.mutate(text, { onSuccess: () => setBody('') });
  };

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="thread-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="thread-heading">
          Messages
        </Title>
        {messages.length === 0 ? (
          <Text size="sm" c="gray.7">
            No messages yet.
          </Text>
        ) : (
          <Stack component="ol" aria-label="Messages" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
            {messages.map((m) => {
              const fromSupport = m.authorRole === 'ADMIN';
              return (
                <Paper
                  component="li"
                  key={m.id}
                  p="sm"
                  radius="md"
                  bg={fromSupport ? 'indigo.0' : 'gray.0'}
                  aria-label={`${authorOf(m, viewer)}, ${formatDateTime(m.createdAt, zone, locale)}`}
                >
                  <Group justify="space-between" gap="xs" mb={4}>
                    <Text size="sm" fw={600}>
                      {authorOf(m, viewer)}
                    </Text>
                    <Text size="xs" c="gray.7">
                      {formatDateTime(m.createdAt, zone, locale)}
                    </Text>
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {m.body}
                  </Text>
                </Paper>
              );
            })}
          </Stack>
        )}
        <form onSubmit={submit} noValidate aria-label="Reply">
          <Stack gap="xs">
            <Textarea
              label={replyLabel}
              description={`${body.trim().length} / ${MESSAGE_MAX} characters`}
              value={body}
              onChange={(e) => {
                setBody(e.currentTarget.value);
                if (error) setError(null);
              }}
              error={shownError}
              autosize
              minRows={3}
              maxRows={10}
            />
            {reply.isError && !serverField && (
              <Alert color="red" role="alert" title="Message not sent">
                {describeError(reply.error).message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={reply.isPending}>
                Send message
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
