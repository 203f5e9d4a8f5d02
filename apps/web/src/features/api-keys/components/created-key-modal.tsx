import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { SecretField } from '../../../components/secret-field';
import type { CreatedApiKey } from '../api-keys.queries';

/** Shows a new key's secret — the only time it is ever visible. */
export function CreatedKeyModal({ created, onClose }: { created: CreatedApiKey | null; onClose: () => void }) {
  return (
    <Modal opened={created !== null} onClose={onClose} title="Your new API key" centered size="lg">
      {created && (
        <Stack gap="md">
          <Alert color="yellow" title="Copy it now">
            This is the only time the key is shown. Store it somewhere safe: we cannot show it again, and anyone who has it can
            act as you.
          </Alert>
          <Text size="sm">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
          </Text>
          <SecretField label={`API key “${created.name}”`} value={created.key} copyLabel="Copy key" />
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
