import { Button, Code, CopyButton, Group } from '@mantine/core';

/** A SHA-256 in full (it wraps on a phone), with a button that copies it. */
export function HashValue({ sha256, label, testId }: { sha256: string; label: string; testId?: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Code data-testid={testId} style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}>
        {sha256}
      </Code>
      <CopyButton value={sha256} timeout={1500}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
