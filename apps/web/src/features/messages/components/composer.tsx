import { Alert, Button, CloseButton, FileButton, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import { checkFiles, formatBytes, MAX_ATTACHMENTS, MAX_BODY_BYTES, messageBodyBytes } from '../message-limits';

export interface Draft {
  text: string;
  files: File[];
}

/**
 * Where a message is written: Enter sends, Shift+Enter starts a new line; files are picked,
 * checked against the limits (25 MB each, 10 per message) and listed before sending. The
 * text and files are cleared as soon as the message is handed over (the thread shows it as
 * "Sending…", with a retry if it fails).
 */
export function Composer({
  counterpartName,
  disabledReason,
  onSend,
}: {
  counterpartName: string;
  /** Set when nothing can be sent right now (said above the field). */
  disabledReason?: string | null;
  onSend: (draft: Draft) => void;
}) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileErrors, setFileErrors] = useState<string[]>([]);
  const resetFiles = useRef<() => void>(null);
  const tooLong =
    messageBodyBytes(
      text,
      files.map((f) => f.name),
    ) > MAX_BODY_BYTES;
  const empty = text.trim() === '' && files.length === 0;
  const disabled = !!disabledReason;

  const send = () => {
    if (disabled || empty || tooLong) return;
    onSend({ text: text.trim(), files });
    setText('');
    setFiles([]);
    setFileErrors([]);
    resetFiles.current?.();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <Stack gap="xs" p="md">
      {disabledReason && (
        <Text size="sm" c="gray.7" role="status">
          {disabledReason}
        </Text>
      )}
      <Textarea
        label={`Message to ${counterpartName}`}
        description="Enter to send, Shift+Enter for a new line."
        placeholder="Write a message"
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        disabled={disabled}
        error={tooLong ? 'This message is too long. Split it into shorter messages.' : undefined}
      />
      {files.length > 0 && (
        <List aria-label="Files to send" listStyleType="none" spacing={4}>
          {files.map((file, index) => (
            <List.Item key={`${file.name}-${index}`}>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {file.name}
                </Text>
                <Text size="xs" c="gray.7" style={{ flexShrink: 0 }}>
                  {formatBytes(file.size)}
                </Text>
                <CloseButton
                  size="sm"
                  aria-label={`Remove ${file.name}`}
                  onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}
                />
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {fileErrors.length > 0 && (
        <Alert
          color="red"
          role="alert"
          title={fileErrors.length === 1 ? 'A file was not added' : 'Some files were not added'}
          withCloseButton
          onClose={() => setFileErrors([])}
          closeButtonLabel="Dismiss"
        >
          <Stack gap={2}>
            {fileErrors.map((error) => (
              <Text key={error} size="sm">
                {error}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Group justify="space-between" gap="xs">
        <FileButton
          multiple
          resetRef={resetFiles}
          onChange={(picked) => {
            const { accepted, errors } = checkFiles(files, picked);
            setFiles(accepted);
            setFileErrors(errors);
            // The same file can be picked again after it was removed.
            resetFiles.current?.();
          }}
        >
          {(props) => (
            <Button {...props} variant="default" size="sm" disabled={disabled || files.length >= MAX_ATTACHMENTS}>
              Attach files
            </Button>
          )}
        </FileButton>
        <Button onClick={send} disabled={disabled || empty || tooLong}>
          Send
        </Button>
      </Group>
    </Stack>
  );
}
