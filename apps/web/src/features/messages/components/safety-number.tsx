import { Alert, Button, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { LoadingState } from '../../../components/query-state';
import { useAcceptIdentityChange, safetyNumberQueryOptions } from '../messages.queries';
import { useE2ee } from '../e2ee-context';
import { E2eeErrorState } from './e2ee-error-state';

/** 60 digits as 12 groups of 5 (the library's `groups`; rebuilt from `digits` if absent). */
export function safetyGroups(digits: string): string[] {
  return digits.match(/\d{1,5}/g) ?? [];
}

/** The safety number itself: 12 groups of 5 digits, monospace, 3 per row on a phone, 4 from `sm`. */
export function SafetyNumberDigits({ groups }: { groups: string[] }) {
  return (
    <SimpleGrid
      cols={{ base: 3, sm: 4 }}
      spacing="xs"
      verticalSpacing={4}
      data-testid="safety-number"
      aria-label={`Safety number: ${groups.join(' ')}`}
      role="group"
      ff="monospace"
      fz="xl"
      ta="center"
      fw={600}
    >
      {groups.map((group, i) => (
        <Text key={i} span ff="monospace" fz="xl" fw={600} aria-hidden>
          {group}
        </Text>
      ))}
    </SimpleGrid>
  );
}

/**
 * The safety number of this conversation: a fingerprint of both parties' identity keys. The
 * same 60 digits on both screens mean nobody in between (LexMarket included) swapped a key.
 */
export function SafetyNumberModal({
  opened,
  onClose,
  counterpartUserId,
  counterpartName,
}: {
  opened: boolean;
  onClose: () => void;
  counterpartUserId: string;
  counterpartName: string;
}) {
  const { userId, client } = useE2ee();
  const safety = useQuery({ ...safetyNumberQueryOptions(userId, client, counterpartUserId), enabled: opened });
  const accept = useAcceptIdentityChange(counterpartUserId);

  return (
    <Modal opened={opened} onClose={onClose} title={`Safety number with ${counterpartName}`} centered size="lg">
      <Stack gap="md">
        <Text>
          Compare these numbers with {counterpartName} in person or by phone. If they match on both screens, your conversation is
          end-to-end encrypted with the right keys and nobody in between can read it.
        </Text>
        {safety.isPending ? (
          <LoadingState label="Computing the safety number" />
        ) : safety.isError ? (
          <E2eeErrorState error={safety.error} onRetry={() => void safety.refetch()} />
        ) : (
          <>
            <SafetyNumberDigits groups={safety.data.groups.length ? safety.data.groups : safetyGroups(safety.data.digits)} />
            {safety.data.identityChanged && (
              <Alert color="yellow" title={`${counterpartName}’s keys changed`}>
                <Stack gap="xs">
                  <Text size="sm">
                    This is a new safety number. Compare it with {counterpartName} before you accept the new keys.
                  </Text>
                  <Group>
                    <Button size="xs" loading={accept.isPending} onClick={() => accept.mutate()}>
                      Numbers match — accept new keys
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            )}
          </>
        )}
        <Text size="sm" c="gray.7">
          The number changes when either of you starts over with new keys (not when you add a device).
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
