import { ApiError } from '@lm/api-client';
import { Alert, Box, Button, Checkbox, Group, List, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/errors';
import { formatDateTimeZoned } from '../../lib/time';
import { describeMediaProblem, mediaProblemOf, openMedia, stopStream, type DeviceChoice, type MediaProblem } from './media-devices';
import { StreamVideo } from './video-element';
import { useJoinCall, type VideoJoin, type VideoRoom } from './video.queries';

/**
 * Before joining: camera and microphone preview, device choice, and the recording consent
 * with a plain explanation of what recording means here. The stream opened for the preview is
 * handed to the call (no second permission prompt).
 */
export function PreJoin({
  room,
  zone,
  locale,
  onJoined,
}: {
  room: VideoRoom;
  zone: string;
  locale: string;
  onJoined: (join: VideoJoin, stream: MediaStream) => void;
}) {
  const [choice, setChoice] = useState<DeviceChoice>({ cameraId: null, microphoneId: null });
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<MediaProblem | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [consent, setConsent] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const handedOver = useRef(false);
  const join = useJoinCall();

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    setProblem(null);
    openMedia(choice)
      .then(async (s) => {
        if (cancelled) return stopStream(s);
        opened = s;
        setStream(s);
        // Labels are only given once the page may use the devices.
        const list = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) setDevices(list.filter((d) => d.deviceId && (d.kind === 'videoinput' || d.kind === 'audioinput')));
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setStream(null);
        setProblem((error as { name?: string }).name === 'Unsupported' ? 'unsupported' : mediaProblemOf(error));
      });
    return () => {
      cancelled = true;
      if (!handedOver.current) stopStream(opened);
    };
  }, [choice, attempt]);

  const onJoin = useCallback(() => {
    if (!stream) return;
    join.mutate(
      { sessionId: room.sessionId, recordingConsent: consent },
      {
        onSuccess: (j) => {
          handedOver.current = true;
          onJoined(j, stream);
        },
      },
    );
  }, [stream, join, room.sessionId, consent, onJoined]);

  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const microphones = devices.filter((d) => d.kind === 'audioinput');
  const currentCamera = stream?.getVideoTracks()[0]?.getSettings().deviceId ?? '';
  const currentMic = stream?.getAudioTracks()[0]?.getSettings().deviceId ?? '';
  const counterpartConsented = room.myRole === 'CLIENT' ? room.recording.lawyerConsented : room.recording.clientConsented;
  const joinError = join.error;

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="prejoin-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="prejoin-heading">
          Video call
        </Title>
        <Text size="sm" c="gray.7">
          The call is open until {room.closesAt ? formatDateTimeZoned(room.closesAt, zone, locale) : 'the end of the session'}. Check
          your camera and microphone, then join.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Box style={{ aspectRatio: '16 / 9' }}>
            <StreamVideo stream={stream} muted mirrored label="Your camera preview" />
          </Box>
          <Stack gap="sm">
            {problem ? (
              <Alert color="red" role="alert" title={describeMediaProblem(problem).title}>
                <Stack gap="xs">
                  <Text size="sm">{describeMediaProblem(problem).message}</Text>
                  <Group>
                    <Button size="xs" variant="white" color="red" onClick={() => setAttempt((n) => n + 1)}>
                      Try again
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            ) : null}
            <NativeSelect
              label="Camera"
              disabled={cameras.length === 0}
              value={currentCamera}
              onChange={(e) => setChoice((c) => ({ ...c, cameraId: e.currentTarget.value || null }))}
              data={cameras.length ? cameras.map((d, i) => ({ value: d.deviceId, label: d.label || `Camera ${i + 1}` })) : [{ value: '', label: 'No camera' }]}
            />
            <NativeSelect
              label="Microphone"
              disabled={microphones.length === 0}
              value={currentMic}
              onChange={(e) => setChoice((c) => ({ ...c, microphoneId: e.currentTarget.value || null }))}
              data={
                microphones.length
                  ? microphones.map((d, i) => ({ value: d.deviceId, label: d.label || `Microphone ${i + 1}` }))
                  : [{ value: '', label: 'No microphone' }]
              }
            />
          </Stack>
        </SimpleGrid>

        <Paper withBorder p="md" radius="md" bg="gray.0">
          <Stack gap="xs">
            <Checkbox
              checked={consent}
              onChange={(e) => setConsent(e.currentTarget.checked)}
              label="I agree that this call is recorded"
              description={counterpartConsented ? 'The other participant has already agreed.' : undefined}
            />
            <List size="sm" spacing={4} c="gray.8" aria-label="What recording means">
              <List.Item>Recording starts only when both of you agree. Without your agreement nothing is recorded.</List.Item>
              <List.Item>Each browser records its own camera and microphone; only you and the other participant can play or download the recordings.</List.Item>
              <List.Item>
                Each recording is fingerprinted (SHA-256) and logged in our tamper-evident audit trail, so it can serve as evidence: anyone holding a copy can check it
                on the verification page.
              </List.Item>
              <List.Item>Either of you can stop the recording at any time during the call; the other sees that it stopped.</List.Item>
            </List>
          </Stack>
        </Paper>

        {joinError ? <JoinRefusal error={joinError} zone={zone} locale={locale} /> : null}
        <Group>
          <Button onClick={onJoin} disabled={!stream} loading={join.isPending}>
            Join the call
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function JoinRefusal({ error, zone, locale }: { error: unknown; zone: string; locale: string }) {
  if (error instanceof ApiError && error.code === 'VIDEO_JOIN_TOO_EARLY') {
    const opensAt = (error as ApiError & { details?: { opensAt?: string } }).details?.opensAt;
    return (
      <Alert color="yellow" role="alert" title="Too early">
        The call opens {opensAt ? `at ${formatDateTimeZoned(opensAt, zone, locale)}` : '10 minutes before the start'}.
      </Alert>
    );
  }
  if (error instanceof ApiError && error.code === 'VIDEO_JOIN_CLOSED') {
    return (
      <Alert color="gray" role="alert" title="The call is closed">
        This session’s call is over and can no longer be joined.
      </Alert>
    );
  }
  return (
    <Alert color="red" role="alert" title={describeError(error).title}>
      {describeError(error).message}
    </Alert>
  );
}
