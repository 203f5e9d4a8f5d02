import { Alert, Button, Checkbox, Divider, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { deviceLabel } from '../e2ee-client';
import { useE2ee } from '../e2ee-context';
import { describeE2eeError, isE2eeError } from '../e2ee-errors';
import { RecoveryCodeStep } from './recovery-code-step';

const FORMAT_HINT =
  'A recovery code has 24 letters and digits in 6 groups of 4, for example 7K3M-9QXA-… Dashes and spaces are optional.';

/** The words under the code field for what restoring threw (null: not about the code). */
function codeError(error: unknown): string | null {
  if (isE2eeError(error, 'WRONG_RECOVERY_CODE')) return 'That recovery code does not match. Check it and try again.';
  if (isE2eeError(error, 'RECOVERY_CODE_MALFORMED')) return `That is not a recovery code. ${FORMAT_HINT}`;
  return null;
}

/**
 * This account has keys, this browser does not: the recovery code unlocks them here (checked in
 * the browser; the code never leaves it). A lost code can only start over with new keys, after a
 * warning that the earlier history becomes unreadable.
 */
export function RestoreKeys({ onDone }: { onDone: () => void }) {
  const { client } = useE2ee();
  const [code, setCode] = useState('');
  const [emptyAsked, setEmptyAsked] = useState(false);
  const [newCode, setNewCode] = useState<string | null>(null);
  const [resetting, { open: openReset, close: closeReset }] = useDisclosure(false);
  const restore = useMutation({
    mutationFn: (recoveryCode: string) => client.restore(recoveryCode, deviceLabel()),
    onSuccess: onDone,
    meta: { errorToast: false },
  });

  if (newCode) return <RecoveryCodeStep code={newCode} onContinue={onDone} />;

  const fieldError = emptyAsked && !code.trim() ? 'Enter your recovery code.' : codeError(restore.error);
  const otherError = restore.isError && !codeError(restore.error) ? restore.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) {
      setEmptyAsked(true);
      return;
    }
    restore.mutate(code.trim());
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="restore-heading">
      <Stack gap="md">
        <Title order={2} fz="xl" id="restore-heading">
          Unlock your messages on this device
        </Title>
        <Text>
          Your account already uses secure messaging, but this browser does not have your keys yet. Enter the recovery code you
          saved when you set it up. It is checked here in your browser and never sent to LexMarket.
        </Text>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              label="Recovery code"
              description={FORMAT_HINT}
              value={code}
              onChange={(event) => {
                setCode(event.currentTarget.value);
                if (restore.isError) restore.reset();
              }}
              error={fieldError}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.05em' } }}
              data-autofocus
            />
            {otherError !== null && (
              <Alert color="red" role="alert" title="Could not restore">
                {describeE2eeError(otherError).message}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={restore.isPending}>
                Unlock messages
              </Button>
            </Group>
            {restore.isPending && (
              <Text size="sm" c="gray.7" role="status">
                Checking the code. This takes a few seconds…
              </Text>
            )}
          </Stack>
        </form>
        <Divider />
        <Stack gap={4}>
          <Text size="sm" c="gray.7">
            No recovery code? You can start over with new keys, but your earlier messages cannot be unlocked without it.
          </Text>
          <Group>
            <Button variant="subtle" color="red" px={0} onClick={openReset}>
              I lost my code — start over
            </Button>
          </Group>
        </Stack>
      </Stack>
      <StartOverModal
        opened={resetting}
        onClose={closeReset}
        onReset={(recoveryCode) => {
          closeReset();
          setNewCode(recoveryCode);
        }}
      />
    </Paper>
  );
}

/** The lost-code path: new keys for the account, after saying plainly what is lost. */
function StartOverModal({ opened, onClose, onReset }: { opened: boolean; onClose: () => void; onReset: (code: string) => void }) {
  const { client } = useE2ee();
  const [understood, setUnderstood] = useState(false);
  const [asked, setAsked] = useState(false);
  const reset = useMutation({
    mutationFn: () => client.resetIdentity(deviceLabel()),
    onSuccess: ({ recoveryCode }) => onReset(recoveryCode),
    meta: { errorToast: false },
  });
  const close = () => {
    setUnderstood(false);
    setAsked(false);
    reset.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Start over with new keys?" centered>
      <Stack gap="md">
        <Alert color="red" title="Your message history will be unreadable">
          <Stack gap={6}>
            <Text size="sm">
              New keys cannot unlock anything sent before now. Every earlier message, file and session note becomes unreadable for
              you — on this device and every other one. This cannot be undone, and LexMarket cannot help you recover it.
            </Text>
            <Text size="sm">
              Your other devices are signed out of secure messaging, and the people you write with are told that your keys
              changed.
            </Text>
          </Stack>
        </Alert>
        <Text size="sm">If there is any chance you can find your recovery code, look for it first.</Text>
        <Checkbox
          label="I understand that my earlier messages will be lost"
          checked={understood}
          onChange={(event) => setUnderstood(event.currentTarget.checked)}
          error={asked && !understood ? 'Tick this box to confirm.' : undefined}
        />
        {reset.isError && (
          <Alert color="red" role="alert" title="Could not start over">
            {describeE2eeError(reset.error).message}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close}>
            Keep looking for my code
          </Button>
          <Button
            color="red"
            loading={reset.isPending}
            onClick={() => {
              if (understood) reset.mutate();
              else setAsked(true);
            }}
          >
            Start over with new keys
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
