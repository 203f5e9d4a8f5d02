import { unwrap, type components } from '@lm/api-client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { sessionKeys } from '../sessions/sessions.queries';

export type VideoRoom = components['schemas']['VideoRoomResponse'];
export type VideoJoin = components['schemas']['VideoJoinResponse'];

export type Recording = components['schemas']['RecordingResponse'];
export type RecordingStatus = 'uploading' | 'processing' | 'available' | 'failed';

export const videoKeys = {
  all: ['video'] as const,
  room: (sessionId: string) => [...videoKeys.all, 'room', sessionId] as const,
  recordings: (sessionId: string) => [...videoKeys.all, 'recordings', sessionId] as const,
};

/** `GET /api/sessions/:id/video`: the call's provider, join window and recording consent. */
export const videoRoomQueryOptions = (sessionId: string) =>
  queryOptions({
    queryKey: videoKeys.room(sessionId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions/{id}/video', { params: { path: { id: sessionId } }, signal })),
  });

/** `GET /api/sessions/:id/recordings`. */
export const recordingsQueryOptions = (sessionId: string) =>
  queryOptions({
    queryKey: videoKeys.recordings(sessionId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions/{id}/recordings', { params: { path: { id: sessionId } }, signal })),
  });

/**
 * `POST /api/sessions/:id/recordings/:recordingId/media-link`: a 5-minute URL a <video> element
 * can play (and seek, with Range requests) without the Bearer header.
 */
export function useRecordingMediaLink() {
  return useMutation({
    mutationFn: ({ sessionId, recordingId }: { sessionId: string; recordingId: string }) =>
      unwrap(api.POST('/api/sessions/{id}/recordings/{recordingId}/media-link', { params: { path: { id: sessionId, recordingId } } })),
  });
}

/** The session, its call and its recordings change together when a call starts or ends. */
function useInvalidateCall() {
  const queryClient = useQueryClient();
  return (sessionId: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: videoKeys.room(sessionId) }),
      queryClient.invalidateQueries({ queryKey: videoKeys.recordings(sessionId) }),
      queryClient.invalidateQueries({ queryKey: sessionKeys.detail(sessionId) }),
    ]);
}

/** `POST /api/sessions/:id/video/join`. */
export function useJoinCall() {
  const invalidate = useInvalidateCall();
  return useMutation({
    mutationFn: ({ sessionId, recordingConsent }: { sessionId: string; recordingConsent: boolean }) =>
      unwrap(api.POST('/api/sessions/{id}/video/join', { params: { path: { id: sessionId } }, body: { recordingConsent } })),
    onSuccess: (_data, { sessionId }) => invalidate(sessionId),
    // The pre-join screen says why (too early, closed) next to the button.
    meta: { errorToast: false },
  });
}

/** `PUT /api/sessions/:id/video/consent`: give or withdraw consent to recording (stop/resume). */
export function useRecordingConsent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ sessionId, recordingConsent }: { sessionId: string; recordingConsent: boolean }) =>
      unwrap(api.PUT('/api/sessions/{id}/video/consent', { params: { path: { id: sessionId } }, body: { recordingConsent } })),
    onSuccess: (room) => queryClient.setQueryData(videoKeys.room(room.sessionId), room),
  });
}

/** `POST /api/sessions/:id/video/leave`. */
export function useLeaveCall() {
  const invalidate = useInvalidateCall();
  return useMutation({
    mutationFn: (sessionId: string) => unwrap(api.POST('/api/sessions/{id}/video/leave', { params: { path: { id: sessionId } } })),
    onSettled: (_d, _e, sessionId) => invalidate(sessionId),
    meta: { errorToast: false },
  });
}

/** `POST /api/sessions/:id/video/end` (lawyer): the session becomes COMPLETED for both. */
export function useEndCall() {
  const invalidate = useInvalidateCall();
  return useMutation({
    mutationFn: (sessionId: string) => unwrap(api.POST('/api/sessions/{id}/video/end', { params: { path: { id: sessionId } } })),
    onSuccess: (_d, sessionId) => invalidate(sessionId),
  });
}
