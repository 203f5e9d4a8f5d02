import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
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
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              data-autofocus
              label={`API key “${created.name}”`}
              value={created.key}
              readOnly
              onFocus={(e) => e.currentTarget.select()}
              style={{ flex: 1 }}
              styles={{ input: { fontFamily: 'monospace' } }}
            />
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'light' : 'filled'} color={copied ? 'green' : undefined} onClick={copy}>
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Group>
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
