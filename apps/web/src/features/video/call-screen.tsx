import { Alert, Badge, Box, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ConfirmActions } from '../../components/confirm-actions';
import { connectorFor, type CallHandle, type CallState, type RecordingSignal } from './call-connector';
import { stopStream } from './media-devices';
import { completeLeftoverUpload, OwnStreamRecorder } from './own-recorder';
import type { UploadProgress } from './recording-uploader';
import { StreamVideo } from './video-element';
import { useEndCall, useLeaveCall, useRecordingConsent, videoKeys, videoRoomQueryOptions, type VideoJoin, type VideoRoom } from './video.queries';

const STATE_LOOK: Record<CallState, { label: string; color: string }> = {
  connecting: { label: 'Connecting…', color: 'blue' },
  waiting: { label: 'Waiting for the other participant', color: 'gray' },
  connected: { label: 'Connected', color: 'green' },
  reconnecting: { label: 'Reconnecting…', color: 'orange' },
  disconnected: { label: 'Disconnected', color: 'red' },
};

type Side = 'CLIENT' | 'LAWYER';

/** Who withdrew consent, from the room's consent flags. */
function stoppedBy(room: VideoRoom): Side | null {
  if (room.recording.active) return null;
  if (!room.recording.clientConsented && room.recording.lawyerConsented) return 'CLIENT';
  if (!room.recording.lawyerConsented && room.recording.clientConsented) return 'LAWYER';
  return null;
}

/**
 * The call: the other participant large, this browser's camera small, and the controls (mute,
 * camera, recording, leave; the lawyer also ends the session). The connection itself is the
 * provider's connector (peer-to-peer or Twilio); in peer-to-peer mode this browser also records
 * and uploads its own stream while both consent.
 */
export function CallScreen({
  sessionId,
  join,
  stream,
  onLeft,
}: {
  sessionId: string;
  join: VideoJoin;
  stream: MediaStream;
  onLeft: (reason: 'left' | 'ended') => void;
}) {
  const queryClient = useQueryClient();
  // The room's recording state: polled as a fallback, pushed by the signalling stream when it changes.
  const roomQuery = useQuery({ ...videoRoomQueryOptions(sessionId), initialData: join.room, refetchInterval: 5000 });
  const room = roomQuery.data;
  const [state, setState] = useState<CallState>('connecting');
  const [remote, setRemote] = useState<MediaStream | null>(null);
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [uploadError, setUploadError] = useState(false);
  /** Who last stopped the recording, as the server announced it. */
  const [stopper, setStopper] = useState<Side | null>(null);
  const [ending, { open: openEnd, close: closeEnd }] = useDisclosure(false);
  const handle = useRef<CallHandle | null>(null);
  const recorder = useRef<OwnStreamRecorder | null>(null);
  const finished = useRef(false);
  const consent = useRecordingConsent();
  const leave = useLeaveCall();
  const end = useEndCall();
  const recordsInBrowser = join.provider === 'p2p';
  const myRole = room.myRole ?? join.room.myRole;
  const iConsent = myRole === 'LAWYER' ? room.recording.lawyerConsented : room.recording.clientConsented;

  /** Stops this browser's recording and waits for its upload to complete. */
  const stopRecording = useCallback(async () => {
    const r = recorder.current;
    if (!r) return;
    recorder.current = null;
    try {
      await r.stop();
    } catch {
      setUploadError(true);
    }
  }, []);

  /** Leaves the call screen: recording finished and uploaded, connection closed, camera off. */
  const finish = useCallback(
    async (reason: 'left' | 'ended') => {
      if (finished.current) return;
      finished.current = true;
      await stopRecording();
      handle.current?.disconnect();
      handle.current = null;
      stopStream(stream);
      onLeft(reason);
    },
    [stopRecording, stream, onLeft],
  );

  // Connect once; the connector reports state, media and the server's messages.
  useEffect(() => {
    let cancelled = false;
    void connectorFor(join.provider)
      .then((connector) =>
        connector.connect({
          sessionId,
          join,
          localStream: stream,
          onRemoteStream: (s) => !cancelled && setRemote(s),
          onState: (s) => !cancelled && setState(s),
          onEnded: () => {
            if (cancelled) return;
            if (!finished.current && myRole !== 'LAWYER') {
              notifications.show({ color: 'blue', title: 'Session ended', message: 'The lawyer ended the session.' });
            }
            void finish('ended');
          },
          onRecording: (r: RecordingSignal) => {
            if (cancelled) return;
            setStopper(!r.active && r.by ? r.by : null);
            queryClient.setQueryData<VideoRoom>(videoKeys.room(sessionId), (old) =>
              old
                ? {
                    ...old,
                    recording: {
                      active: r.active,
                      clientConsented: r.clientConsented ?? old.recording.clientConsented,
                      lawyerConsented: r.lawyerConsented ?? old.recording.lawyerConsented,
                    },
                  }
                : old,
            );
            void queryClient.invalidateQueries({ queryKey: videoKeys.room(sessionId) });
          },
        }),
      )
      .then((h) => {
        if (cancelled) h.disconnect();
        else handle.current = h;
      })
      .catch(() => !cancelled && setState('disconnected'));
    return () => {
      cancelled = true;
      handle.current?.disconnect();
      handle.current = null;
    };
    // Connect once per joined call.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [join]);

  // A recording this browser was uploading when its page went away (reload) is saved first.
  useEffect(() => {
    if (recordsInBrowser) void completeLeftoverUpload(sessionId);
  }, [recordsInBrowser, sessionId]);

  // Peer-to-peer: record this browser's own stream while recording is active.
  const active = room.recording.active;
  useEffect(() => {
    if (!recordsInBrowser || finished.current) return;
    if (active && !recorder.current) {
      const r = new OwnStreamRecorder(sessionId, stream, setUpload);
      recorder.current = r;
      r.start().catch(() => {
        if (recorder.current === r) recorder.current = null;
        setUploadError(true);
      });
    } else if (!active && recorder.current) {
      void stopRecording();
    }
  }, [active, recordsInBrowser, sessionId, stream, stopRecording]);

  // Turning the page away mid-call: close the connection and the camera.
  useEffect(
    () => () => {
      void recorder.current?.stop().catch(() => undefined);
      stopStream(stream);
    },
    [stream],
  );

  const toggleMute = () => {
    stream.getAudioTracks().forEach((t) => (t.enabled = muted));
    setMuted(!muted);
  };
  const toggleCamera = () => {
    stream.getVideoTracks().forEach((t) => (t.enabled = cameraOff));
    setCameraOff(!cameraOff);
  };
  const onLeave = async () => {
    await finish('left');
    leave.mutate(sessionId);
  };
  const onEnd = async () => {
    await stopRecording();
    end.mutate(sessionId, {
      onSuccess: () => {
        closeEnd();
        notifications.show({ color: 'green', title: 'Session ended', message: 'The session is completed.' });
        void finish('ended');
      },
    });
  };

  const look = STATE_LOOK[state];
  const who = room.recording.active ? null : (stopper ?? stoppedBy(room));
  const whoLabel = (side: Side) => (side === myRole ? 'you' : side === 'LAWYER' ? 'the lawyer' : 'the client');

  return (
    <Paper withBorder p={{ base: 'sm', sm: 'lg' }} radius="md" component="section" aria-labelledby="call-heading">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} fz="lg" id="call-heading">
            Video call
          </Title>
          <Group gap="xs">
            {active ? (
              <Badge color="red" variant="filled" role="status" aria-live="polite">
                ● Recording
              </Badge>
            ) : null}
            <Badge color={look.color} variant="light" role="status" aria-live="polite" data-testid="call-state">
              {look.label}
            </Badge>
          </Group>
        </Group>

        <Box pos="relative" style={{ aspectRatio: '16 / 9', maxHeight: '70vh' }}>
          <StreamVideo stream={remote} label="The other participant" testId="remote-video" />
          {!remote ? (
            <Text c="white" size="sm" pos="absolute" top="45%" w="100%" ta="center" aria-hidden>
              {state === 'connected' ? 'Starting video…' : look.label}
            </Text>
          ) : null}
          <Box pos="absolute" right={8} bottom={8} w={{ base: 96, sm: 180 }} style={{ aspectRatio: '4 / 3' }}>
            <StreamVideo stream={stream} muted mirrored label="Your camera" testId="local-video" style={{ border: '2px solid white' }} />
          </Box>
        </Box>

        <Group gap="xs" role="toolbar" aria-label="Call controls">
          <Button variant={muted ? 'filled' : 'default'} color={muted ? 'red' : undefined} aria-pressed={muted} onClick={toggleMute}>
            {muted ? 'Unmute' : 'Mute'}
          </Button>
          <Button variant={cameraOff ? 'filled' : 'default'} color={cameraOff ? 'red' : undefined} aria-pressed={cameraOff} onClick={toggleCamera}>
            {cameraOff ? 'Turn camera on' : 'Turn camera off'}
          </Button>
          <Button
            variant="default"
            loading={consent.isPending}
            onClick={() => consent.mutate({ sessionId, recordingConsent: !iConsent })}
          >
            {iConsent ? 'Stop recording' : 'Allow recording'}
          </Button>
          <Button variant="light" color="red" onClick={() => void onLeave()}>
            Leave
          </Button>
          {myRole === 'LAWYER' ? (
            <Button color="red" onClick={openEnd}>
              End session
            </Button>
          ) : null}
        </Group>

        {active ? (
          <Text size="sm" c="gray.8">
            This call is being recorded with the agreement of both of you. Either of you can stop it.
          </Text>
        ) : who ? (
          <Text size="sm" c="gray.8" role="status">
            Recording stopped by {whoLabel(who)}.
          </Text>
        ) : (
          <Text size="sm" c="gray.8">
            Not recording: recording starts only when both of you agree.
          </Text>
        )}
        {recordsInBrowser && upload ? <UploadLine progress={upload} /> : null}
        {uploadError ? (
          <Alert color="orange" role="alert" title="Recording upload problem">
            Your recording could not be uploaded completely. Keep this page open; it tries again.
          </Alert>
        ) : null}
        <Text size="sm" c="gray.7" data-testid="encryption-notice">
          {room.endToEndEncrypted
            ? 'End-to-end encrypted: audio and video go straight between your two browsers (DTLS-SRTP). LexMarket’s servers only pass the connection set-up and cannot see or hear the call.'
            : 'Not end-to-end encrypted: the call runs through Twilio’s servers, which decrypt and forward audio and video (encrypted on the way in and out).'}
        </Text>
      </Stack>

      <Modal opened={ending} onClose={closeEnd} title="End the session?" centered>
        <Stack gap="md">
          <Text size="sm">The call ends for both of you and the session is marked completed. The client cannot rejoin.</Text>
          <ConfirmActions error={end.error} pending={end.isPending} color="red" onCancel={closeEnd} onConfirm={() => void onEnd()}>
            End session
          </ConfirmActions>
        </Stack>
      </Modal>
    </Paper>
  );
}

function UploadLine({ progress }: { progress: UploadProgress }) {
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  const text: Record<UploadProgress['state'], string> = {
    uploading: `Saving your recording: ${mb(progress.sentBytes)} MB uploaded`,
    interrupted: 'Saving your recording is interrupted; it resumes when the connection is back.',
    completing: 'Finishing your recording…',
    completed: `Your recording is saved (${mb(progress.sentBytes)} MB).`,
    failed: 'Your recording could not be saved.',
  };
  return (
    <Text size="sm" c={progress.state === 'failed' ? 'red.8' : 'gray.7'} aria-live="polite">
      {text[progress.state]}
    </Text>
  );
}
