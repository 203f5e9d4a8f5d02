import { Button, CopyButton, Group, TextInput } from '@mantine/core';

/**
 * A secret shown once (an API key, a webhook signing secret): read-only, selected on focus,
 * monospaced, with a copy button beside it.
 */
export function SecretField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  return (
    <Group align="flex-end" wrap="nowrap">
      <TextInput
        data-autofocus
        label={label}
        value={value}
        readOnly
        onFocus={(e) => e.currentTarget.select()}
        style={{ flex: 1, minWidth: 0 }}
        styles={{ input: { fontFamily: 'monospace' } }}
      />
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button variant={copied ? 'light' : 'filled'} color={copied ? 'green' : undefined} onClick={copy}>
            {copied ? 'Copied' : copyLabel}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
