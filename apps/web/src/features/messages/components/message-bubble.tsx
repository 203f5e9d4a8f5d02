import type { AttachmentRef, HistoryItem } from '@lm/e2ee';
import { Box, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { saveBlob } from '../../../lib/download';
import { formatTime } from '../../../lib/time';
import { e2eeErrorMessage } from '../e2ee-errors';
import { formatBytes } from '../message-limits';
import classes from './messages.module.css';

export type DeliveryState = 'sending' | 'failed' | 'sent' | 'read';

const DELIVERY_WORDS: Record<DeliveryState, string> = {
  sending: 'Sending…',
  failed: 'Not sent',
  sent: 'Sent',
  read: 'Read',
};

/** One message: its text, its files (decrypted on download), its time and, for mine, sent or read. */
export function MessageBubble({
  item,
  mine,
  delivery,
  zone,
  locale,
  onDownload,
}: {
  item: HistoryItem;
  mine: boolean;
  delivery?: DeliveryState;
  zone: string;
  locale: string;
  onDownload: (ref: AttachmentRef) => Promise<Uint8Array>;
}) {
  const time = formatTime(item.createdAt, zone, locale);
  const hidden = 'error' in item;
  return (
    <Box className={`${classes.row} ${mine ? classes.rowMine : ''}`} data-testid="message" data-mine={mine || undefined}>
      <Box className={`${classes.bubble} ${mine ? classes.bubbleMine : ''} ${hidden ? classes.bubbleHidden : ''}`}>
        <Stack gap={6}>
          {hidden ? (
            <Text size="sm" c="red.9" role="note">
              This message could not be verified and is hidden <Code>{item.error}</Code>
            </Text>
          ) : (
            <>
              {item.text && <Text className={classes.text}>{item.text}</Text>}
              {item.attachments.map((ref) => (
                <AttachmentButton key={ref.id} attachment={ref} onDownload={onDownload} />
              ))}
            </>
          )}
          <Text size="xs" c="gray.7" ta={mine ? 'right' : 'left'}>
            <time dateTime={item.createdAt}>{time}</time>
            {delivery && <span data-testid="delivery"> · {DELIVERY_WORDS[delivery]}</span>}
          </Text>
        </Stack>
      </Box>
    </Box>
  );
}

/** A file of a message: the bytes are fetched encrypted, decrypted and checked here, then saved under its name. */
function AttachmentButton({
  attachment,
  onDownload,
}: {
  attachment: AttachmentRef;
  onDownload: (ref: AttachmentRef) => Promise<Uint8Array>;
}) {
  const download = useMutation({
    mutationFn: async () => {
      const bytes = await onDownload(attachment);
      saveBlob(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: attachment.type || 'application/octet-stream' }),
        attachment.name,
      );
    },
    meta: { errorToast: false },
  });
  return (
    <Stack gap={2}>
      <Group gap="xs" wrap="nowrap">
        <Button
          size="compact-sm"
          variant="default"
          loading={download.isPending}
          onClick={() => download.mutate()}
          aria-label={`Download ${attachment.name} (${formatBytes(attachment.size)})`}
          styles={{ label: { whiteSpace: 'normal', overflowWrap: 'anywhere' } }}
        >
          {attachment.name}
        </Button>
        <Text size="xs" c="gray.7" style={{ flexShrink: 0 }}>
          {formatBytes(attachment.size)}
        </Text>
      </Group>
      {download.isError && (
        <Text size="xs" c="red.8" role="alert">
          {e2eeErrorMessage(download.error)}
        </Text>
      )}
    </Stack>
  );
}
