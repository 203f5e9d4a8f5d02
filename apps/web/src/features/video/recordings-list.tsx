import { Anchor, Badge, Button, Code, CopyButton, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { fileNameOf, saveBlob } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { formatDateTimeZoned } from '../../lib/time';
import { authedFetch, ensureOk } from './authed-fetch';
import { recordingsQueryOptions, useRecordingMediaLink, type Recording, type RecordingStatus } from './video.queries';

/** While recordings are still arriving (uploads finishing after the call), the list refreshes. */
const POLL_MS = 3000;
const POLL_AFTER_MOUNT_MS = 120_000;

const STATUS_LOOK: Record<RecordingStatus, { label: string; color: string }> = {
  uploading: { label: 'Uploading', color: 'blue' },
  processing: { label: 'Processing', color: 'blue' },
  available: { label: 'Available', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
};

function title(r: Recording): string {
  if (r.kind === 'composition') return 'Recording of the call';
  return r.role === 'LAWYER' ? 'Lawyer’s recording' : r.role === 'CLIENT' ? 'Client’s recording' : 'Participant’s recording';
}

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * A session's recordings, for its two participants: who made each, when, how long, its size,
 * its SHA-256 fingerprint and audit entry, a player and a download. Media is fetched with the
 * user's token (the API serves it to participants only) and played from memory.
 */
export function RecordingsList({ sessionId, zone, locale }: { sessionId: string; zone: string; locale: string }) {
  const [mountedAt] = useState(() => Date.now());
  const recordings = useQuery({
    ...recordingsQueryOptions(sessionId),
    refetchInterval: (query) => {
      const items = query.state.data?.items ?? [];
      const pending = items.some((r) => r.status === 'uploading' || r.status === 'processing');
      return pending || Date.now() - mountedAt < POLL_AFTER_MOUNT_MS ? POLL_MS : false;
    },
  });

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="recordings-heading">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="recordings-heading">
            Recordings
          </Title>
          <Anchor component={Link} to={paths.verify} size="sm">
            Verify a copy of a recording
          </Anchor>
        </Group>
        {recordings.isPending ? (
          <LoadingState label="Loading the recordings" />
        ) : recordings.isError ? (
          <ErrorState error={recordings.error} onRetry={() => void recordings.refetch()} />
        ) : recordings.data.items.length === 0 ? (
          <EmptyState title="No recordings">A call is recorded only when both participants agree to it.</EmptyState>
        ) : (
          <Stack gap="md" component="ul" aria-label="Recordings" p={0} m={0} style={{ listStyle: 'none' }}>
            {recordings.data.items.map((r) => (
              <RecordingItem key={r.id} sessionId={sessionId} recording={r} zone={zone} locale={locale} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function RecordingItem({ sessionId, recording: r, zone, locale }: { sessionId: string; recording: Recording; zone: string; locale: string }) {
  const link = useRecordingMediaLink();
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const available = r.status === 'available';
  const name = title(r);
  const look = STATUS_LOOK[r.status as RecordingStatus] ?? { label: r.status, color: 'gray' };

  // Downloads through the signed-in client (the file is saved as is: its SHA-256 is the one listed).
  const download = async () => {
    setDownloading(true);
    setError(null);
    try {
      const response = await ensureOk(await authedFetch(`/api/sessions/${sessionId}/recordings/${r.id}/media`));
      saveBlob(await response.blob(), fileNameOf(response, `recording-${r.id}.webm`));
    } catch (e) {
      setError(e);
    } finally {
      setDownloading(false);
    }
  };

  const isAudio = r.contentType?.startsWith('audio/');
  const playLabel = `Play the ${name.toLowerCase()}`;
  const shownError = error ?? link.error;
  return (
    <Paper component="li" withBorder p="md" radius="md" aria-label={name}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Text fw={600}>{name}</Text>
          <Badge color={look.color} variant="light" tt="none">
            {look.label}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <Fact label="Started">{r.startedAt ? formatDateTimeZoned(r.startedAt, zone, locale) : '—'}</Fact>
          <Fact label="Duration">{formatSeconds(r.durationSeconds)}</Fact>
          <Fact label="Size">{formatBytes(r.sizeBytes)}</Fact>
          <Fact label="Audit entry">{r.auditSeq !== null ? `#${r.auditSeq}` : '—'}</Fact>
        </SimpleGrid>
        {r.sha256 ? (
          <Stack gap={4}>
            <Text size="xs" c="gray.7" tt="uppercase" fw={600} id={`sha-${r.id}`}>
              SHA-256 fingerprint
            </Text>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Code block aria-labelledby={`sha-${r.id}`} data-testid="recording-sha256" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}>
                {r.sha256}
              </Code>
              <CopyButton value={r.sha256}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy} aria-label={`Copy the SHA-256 of the ${name.toLowerCase()}`}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        ) : null}
        {available ? (
          <>
            {link.data ? (
              isAudio ? (
                <audio controls autoPlay src={link.data.url} aria-label={playLabel} style={{ width: '100%' }} />
              ) : (
                <video controls autoPlay playsInline src={link.data.url} aria-label={playLabel} style={{ width: '100%', maxHeight: 360, background: '#000' }} />
              )
            ) : null}
            <Group gap="xs">
              {!link.data ? (
                <Button size="xs" variant="default" loading={link.isPending} onClick={() => link.mutate({ sessionId, recordingId: r.id })} aria-label={playLabel}>
                  Play
                </Button>
              ) : null}
              <Button size="xs" variant="default" loading={downloading} aria-label={`Download the ${name.toLowerCase()}`} onClick={() => void download()}>
                Download
              </Button>
            </Group>
          </>
        ) : null}
        {r.status === 'failed' ? (
          <Text size="sm" c="red.8">
            This recording could not be saved.
          </Text>
        ) : null}
        {shownError ? (
          <Text size="sm" c="red.8" role="alert">
            {describeError(shownError).message}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="gray.7" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </Stack>
  );
}
