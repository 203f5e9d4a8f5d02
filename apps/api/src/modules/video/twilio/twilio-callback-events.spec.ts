import { normalizeTwilioCallback } from './twilio-callback-events';

const received = new Date('2026-11-30T12:00:00.000Z');
const room = { RoomSid: 'RM' + 'a'.repeat(32), RoomName: 'lm_x', Timestamp: '2026-11-30T10:00:00.000Z' };

describe('normalizeTwilioCallback', () => {
  it('participant events: identity, Timestamp as occurredAt, one dedupe key per participant connection whatever the SequenceNumber', () => {
    const params = { ...room, StatusCallbackEvent: 'participant-connected', ParticipantSid: 'PA1', ParticipantIdentity: 'p_1', SequenceNumber: '4' };
    const [event] = normalizeTwilioCallback('rooms', params, received);
    expect(event).toEqual({
      type: 'participant-connected',
      dedupeKey: `rooms:${room.RoomSid}:participant-connected:PA1`,
      roomName: 'lm_x',
      providerRoomSid: room.RoomSid,
      identity: 'p_1',
      occurredAt: new Date(room.Timestamp),
    });
    expect(normalizeTwilioCallback('rooms', { ...params, SequenceNumber: '9' }, received)[0]!.dedupeKey).toBe(event!.dedupeKey);
    expect(normalizeTwilioCallback('rooms', { ...params, StatusCallbackEvent: 'participant-disconnected' }, received)[0]!.dedupeKey).not.toBe(event!.dedupeKey);
  });

  it('room and composition events; composition size and duration when Twilio gives them', () => {
    expect(normalizeTwilioCallback('rooms', { ...room, StatusCallbackEvent: 'room-ended' }, received)[0]).toMatchObject({ type: 'room-ended', providerRoomSid: room.RoomSid });
    const [c] = normalizeTwilioCallback('compositions', { RoomSid: room.RoomSid, CompositionSid: 'CJ1', StatusCallbackEvent: 'composition-available', Size: '42', Duration: '7' }, received);
    expect(c).toEqual({
      type: 'composition-available',
      dedupeKey: `compositions:${room.RoomSid}:composition-available:CJ1`,
      providerRoomSid: room.RoomSid,
      compositionSid: 'CJ1',
      size: 42,
      durationSeconds: 7,
      occurredAt: received,
    });
  });

  it('anything else is "other" (keyed by its sequence), and an unreadable Timestamp falls back to the receipt time', () => {
    const [a] = normalizeTwilioCallback('rooms', { ...room, StatusCallbackEvent: 'track-added', TrackSid: 'MT1', SequenceNumber: '5', Timestamp: 'yesterday' }, received);
    expect(a).toEqual({ type: 'other', dedupeKey: `rooms:${room.RoomSid}:track-added:MT1:5`, providerRoomSid: room.RoomSid, event: 'track-added', occurredAt: received });
    // A participant event without its identity cannot be applied: stored as other.
    expect(normalizeTwilioCallback('rooms', { ...room, StatusCallbackEvent: 'participant-connected' }, received)[0]!.type).toBe('other');
    // A composition event posted to the rooms endpoint is not acted upon either.
    expect(normalizeTwilioCallback('rooms', { ...room, StatusCallbackEvent: 'composition-available', CompositionSid: 'CJ1' }, received)[0]!.type).toBe('other');
  });
});
