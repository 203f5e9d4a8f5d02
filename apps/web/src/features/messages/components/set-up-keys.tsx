import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { deviceLabel } from '../e2ee-client';
import { useE2ee } from '../e2ee-context';
import { describeE2eeError } from '../e2ee-errors';
import { RecoveryCodeStep } from './recovery-code-step';

/**
 * First use: what end-to-end encryption means, in plain words; "Create my keys" makes this
 * device's keys and the account's recovery code, which is shown once and must be confirmed as
 * saved before the messages open.
 */
export function SetUpKeys({ onDone }: { onDone: () => void }) {
  const { client } = useE2ee();
  const [code, setCode] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => client.setUp(deviceLabel()),
    onSuccess: ({ recoveryCode }) => setCode(recoveryCode),
    meta: { errorToast: false },
  });

  if (code) return <RecoveryCodeStep code={code} onContinue={onDone} />;

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="set-up-heading">
      <Stack gap="md">
        <Title order={2} fz="xl" id="set-up-heading">
          Set up secure messaging
        </Title>
        <Text>Your messages with your lawyer or client are end-to-end encrypted. In plain words:</Text>
        <List spacing="xs">
          <List.Item>
            Messages, files and session notes are locked on your device before they are sent, and only you and the other party can
            unlock them.
          </List.Item>
          <List.Item>
            LexMarket stores and forwards only the locked version. We cannot read it, and neither could anyone who broke into our
            servers.
          </List.Item>
          <List.Item>
            The keys are made in this browser now. You also get a recovery code: with it you can read your messages on another
            device. Without it, nobody — not even LexMarket — can recover them.
          </List.Item>
        </List>
        {create.isError && (
          <Alert color="red" role="alert" title="The keys could not be created">
            {describeE2eeError(create.error).message}
          </Alert>
        )}
        <Group>
          <Button onClick={() => create.mutate()} loading={create.isPending}>
            Create my keys
          </Button>
        </Group>
        {create.isPending && (
          <Text size="sm" c="gray.7" role="status">
            Creating your keys. This takes a few seconds…
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
