import type { NormalizedVideoEvent } from '../provider/video-provider';

/** The StatusCallbackEvent values acted upon; every other one is stored as 'other'. */
const ROOM_EVENTS = new Set(['room-created', 'room-ended']);
const PARTICIPANT_EVENTS = new Set(['participant-connected', 'participant-disconnected']);
const RECORDING_EVENTS = new Set(['recording-started', 'recording-completed']);
const COMPOSITION_EVENTS = new Set(['composition-available', 'composition-failed']);

/**
 * A verified Twilio status callback (form fields as Twilio sent them) as normalised events.
 * The dedupe key names the event once however often Twilio delivers it: the room plus the
 * event plus the participant, recording or composition it is about (each of those happens once
 * per sid); anything else also carries the room's SequenceNumber. `occurredAt` is Twilio's
 * Timestamp (the receipt time when missing or unreadable).
 */
export function normalizeTwilioCallback(kind: 'rooms' | 'compositions', params: Record<string, string>, receivedAt: Date): NormalizedVideoEvent[] {
  const event = (params.StatusCallbackEvent ?? '').trim();
  const roomSid = params.RoomSid ?? '';
  const roomName = params.RoomName ?? '';
  const parsed = params.Timestamp ? new Date(params.Timestamp) : null;
  const occurredAt = parsed && !Number.isNaN(parsed.getTime()) ? parsed : receivedAt;
  const key = (...parts: (string | undefined)[]) => [kind, roomSid, event, ...parts.map((p) => p ?? '')].join(':');

  if (kind === 'rooms' && roomSid) {
    if (ROOM_EVENTS.has(event)) {
      return [{ type: event as 'room-created' | 'room-ended', dedupeKey: key(), roomName, providerRoomSid: roomSid, occurredAt }];
    }
    if (PARTICIPANT_EVENTS.has(event) && params.ParticipantIdentity && params.ParticipantSid) {
      return [
        {
          type: event as 'participant-connected' | 'participant-disconnected',
          dedupeKey: key(params.ParticipantSid),
          roomName,
          providerRoomSid: roomSid,
          identity: params.ParticipantIdentity,
          occurredAt,
        },
      ];
    }
    if (RECORDING_EVENTS.has(event) && params.RecordingSid) {
      return [{ type: event as 'recording-started' | 'recording-completed', dedupeKey: key(params.RecordingSid), roomName, providerRoomSid: roomSid, occurredAt }];
    }
  }
  if (kind === 'compositions' && roomSid && params.CompositionSid && COMPOSITION_EVENTS.has(event)) {
    const size = Number(params.Size);
    const duration = Number(params.Duration);
    return [
      {
        type: event as 'composition-available' | 'composition-failed',
        dedupeKey: key(params.CompositionSid),
        providerRoomSid: roomSid,
        compositionSid: params.CompositionSid,
        ...(Number.isFinite(size) && size > 0 ? { size } : {}),
        ...(Number.isInteger(duration) && duration >= 0 ? { durationSeconds: duration } : {}),
        occurredAt,
      },
    ];
  }
  const subject = params.ParticipantSid ?? params.RecordingSid ?? params.CompositionSid ?? params.TrackSid;
  return [
    {
      type: 'other',
      dedupeKey: key(subject, params.SequenceNumber ?? params.Timestamp ?? params.PercentageDone),
      providerRoomSid: roomSid || null,
      event: event || 'unknown',
      occurredAt,
    },
  ];
}
