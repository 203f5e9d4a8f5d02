import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { SecretField } from '../../../components/secret-field';

export interface ShownSecret {
  /** Why it is shown: a new endpoint, or a rotation (the old secret keeps signing until `overlapUntil`). */
  reason: 'created' | 'rotated';
  url: string;
  secret: string;
  /** After a rotation: when the previous secret stops signing, in words. */
  overlapUntil?: string | null;
}

/** An endpoint's signing secret — the only time it is ever visible. */
export function SecretModal({ shown, onClose }: { shown: ShownSecret | null; onClose: () => void }) {
  return (
    <Modal
      opened={shown !== null}
      onClose={onClose}
      title={shown?.reason === 'rotated' ? 'Your new signing secret' : 'Your webhook signing secret'}
      centered
      size="lg"
    >
      {shown && (
        <Stack gap="md">
          <Alert color="yellow" title="Copy it now">
            This is the only time the secret is shown: you won’t see it again. Store it where your receiver can read it; it checks
            that each request really comes from LexMarket.
          </Alert>
          {shown.reason === 'rotated' && (
            <Text size="sm">
              For a while both secrets sign each delivery (two <code>v1=</code> values in the <code>LexMarket-Signature</code>{' '}
              header), so you can switch your receiver over without missing events.
              {shown.overlapUntil ? ` The previous secret stops signing on ${shown.overlapUntil}.` : ''}
            </Text>
          )}
          <SecretField label={`Signing secret for ${shown.url}`} value={shown.secret} copyLabel="Copy secret" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              I have stored it
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
