import { Alert, Button, Checkbox, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { saveBlob } from '../../../lib/download';

/** The text file "Download" saves: the code and what it is for, so a file found later explains itself. */
export function recoveryCodeFile(code: string, now: Date = new Date()): string {
  return [
    'LexMarket secure messaging — recovery code',
    '',
    code,
    '',
    `Created ${now.toISOString().slice(0, 10)}.`,
    'With this code you can read your encrypted messages and notes on a new device or browser.',
    'Keep it private and somewhere safe (a password manager, or printed). LexMarket cannot recover it.',
    '',
  ].join('\n');
}

/**
 * The recovery code, shown once right after the keys are made: copy or download it, then
 * confirm that it is saved before going on. LexMarket never sees it, so it cannot be shown again.
 */
export function RecoveryCodeStep({ code, onContinue }: { code: string; onContinue: () => void }) {
  const [saved, setSaved] = useState(false);
  const [asked, setAsked] = useState(false);
  // The button that made the keys is gone: move focus to this step, not back to the page top.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="recovery-code-heading">
      <Stack gap="md">
        <Title order={2} fz="xl" id="recovery-code-heading" ref={heading} tabIndex={-1}>
          Save your recovery code
        </Title>
        <Text>
          This code unlocks your messages on a new device or browser. This is the only time it is shown: LexMarket does not keep
          it and cannot show it again or reset it for you.
        </Text>
        <Paper bg="gray.0" p="md" radius="sm" withBorder>
          <Text
            component="p"
            m={0}
            ta="center"
            ff="monospace"
            fz={{ base: 'lg', sm: 'xl' }}
            fw={700}
            style={{ letterSpacing: '0.08em', overflowWrap: 'anywhere' }}
            data-testid="recovery-code"
          >
            {code}
          </Text>
        </Paper>
        <Group gap="xs">
          <CopyButton value={code}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy code'}
              </Button>
            )}
          </CopyButton>
          <Button
            variant="default"
            onClick={() => saveBlob(new Blob([recoveryCodeFile(code)], { type: 'text/plain' }), 'lexmarket-recovery-code.txt')}
          >
            Download as a text file
          </Button>
        </Group>
        <Alert color="yellow" title="Without this code, a lost browser means lost messages">
          If you clear this browser’s data or lose this device and do not have the code, your earlier messages cannot be read
          again — by anyone.
        </Alert>
        <Checkbox
          label="I have saved my recovery code somewhere safe"
          checked={saved}
          onChange={(event) => setSaved(event.currentTarget.checked)}
          error={asked && !saved ? 'Save the code, then tick this box to continue.' : undefined}
        />
        <Group>
          <Button
            onClick={() => {
              if (saved) onContinue();
              else setAsked(true);
            }}
          >
            Continue to messages
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
