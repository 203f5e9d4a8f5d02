import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../../components/query-state';
import { formatDateTimeZoned } from '../../lib/time';
import { CallScreen } from './call-screen';
import { PreJoin } from './pre-join';
import { RecordingsList } from './recordings-list';
import { sessionKeys } from '../sessions/sessions.queries';
import { videoKeys, videoRoomQueryOptions, type VideoJoin } from './video.queries';

/** Session statuses with a call (or its recordings) to show. */
const WITH_CALL = new Set(['SCHEDULED', 'IN_PROGRESS', 'COMPLETED']);

/**
 * The session page's video part: nothing before a time is booked; "opens at …" until the join
 * window opens; then the pre-join screen, the call, and after it the recordings.
 */
export function VideoPanel({ sessionId, status, zone, locale }: { sessionId: string; status: string; zone: string; locale: string }) {
  const [call, setCall] = useState<{ join: VideoJoin; stream: MediaStream } | null>(null);
  const [left, setLeft] = useState<'left' | 'ended' | null>(null);
  const queryClient = useQueryClient();
  const room = useQuery({
    ...videoRoomQueryOptions(sessionId),
    enabled: WITH_CALL.has(status),
    // Until the window opens, look again when it does (and now and then: a reschedule moves it).
    refetchInterval: (query) => {
      const opensAt = query.state.data?.opensAt;
      if (!opensAt || query.state.data?.joinable || query.state.data?.refusal !== 'VIDEO_JOIN_TOO_EARLY') return 60_000;
      return Math.min(60_000, Math.max(1000, new Date(opensAt).getTime() - Date.now() + 500));
    },
  });

  if (!WITH_CALL.has(status)) return null;
  if (call) {
    return (
      <CallScreen
        sessionId={sessionId}
        join={call.join}
        stream={call.stream}
        onLeft={(reason) => {
          setCall(null);
          setLeft(reason);
          // The session may have ended meanwhile (the lawyer ended it): its status, call and recordings change.
          void queryClient.invalidateQueries({ queryKey: sessionKeys.detail(sessionId) });
          void queryClient.invalidateQueries({ queryKey: videoKeys.all });
        }}
      />
    );
  }
  if (room.isPending) return <LoadingState label="Loading the video call" />;
  if (room.isError) return <ErrorState error={room.error} onRetry={() => void room.refetch()} />;
  const r = room.data;
  const over = r.status === 'COMPLETED' || r.refusal === 'VIDEO_JOIN_CLOSED';
  const showRecordings = left !== null || r.status === 'IN_PROGRESS' || r.status === 'COMPLETED';

  return (
    <>
      {r.joinable && !left ? (
        <PreJoin room={r} zone={zone} locale={locale} onJoined={(join, stream) => setCall({ join, stream })} />
      ) : null}
      {r.joinable && left === 'left' ? (
        <Alert color="blue" title="You left the call">
          <Stack gap="xs">
            <Text size="sm">The call stays open until {r.closesAt ? formatDateTimeZoned(r.closesAt, zone, locale) : 'the end of the session'}.</Text>
            <Group>
              <Button size="xs" variant="white" onClick={() => setLeft(null)}>
                Join again
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      {!r.joinable && r.refusal === 'VIDEO_JOIN_TOO_EARLY' && r.opensAt ? (
        <Alert color="blue" title="Video call" role="status">
          The call opens at {formatDateTimeZoned(r.opensAt, zone, locale)} (your time). This page lets you in by itself when it
          opens.
        </Alert>
      ) : null}
      {!r.joinable && over && status !== 'COMPLETED' ? (
        <Alert color="gray" title="The call is closed">
          This session’s call can no longer be joined.
        </Alert>
      ) : null}
      {showRecordings ? <RecordingsList sessionId={sessionId} zone={zone} locale={locale} /> : null}
    </>
  );
}
