import type { RemoteParticipant, RemoteTrack, Room } from 'twilio-video';
import type { CallConnector, CallHandle, ConnectOptions } from './call-connector';

/** Twilio's code for "the room was completed" (the lawyer ended the session). */
const ROOM_COMPLETED = 53118;

/**
 * A Twilio Video group room. This module (and with it the `twilio-video` SDK) is loaded only
 * when the API says the call runs on Twilio, as a chunk of its own. Twilio's media servers
 * decrypt the streams they route: the call screen says the call is not end-to-end encrypted.
 * Recording is done by Twilio (recording rules, set by the API once both consent), so nothing
 * is recorded in the browser.
 */
class TwilioCall implements CallHandle {
  private remote = new MediaStream();
  private ended = false;

  constructor(
    private readonly room: Room,
    private readonly o: ConnectOptions,
  ) {}

  start(): void {
    const { room, o } = this;
    const watch = (participant: RemoteParticipant) => {
      participant.on('trackSubscribed', (track: RemoteTrack) => {
        if (track.kind === 'audio' || track.kind === 'video') {
          this.remote.addTrack(track.mediaStreamTrack);
          this.remote = new MediaStream(this.remote.getTracks()); // a new object: React re-renders the <video>
          o.onRemoteStream(this.remote);
        }
      });
      participant.on('trackUnsubscribed', (track: RemoteTrack) => {
        if (track.kind === 'audio' || track.kind === 'video') {
          this.remote = new MediaStream(this.remote.getTracks().filter((t) => t !== track.mediaStreamTrack));
          o.onRemoteStream(this.remote);
        }
      });
    };
    room.participants.forEach(watch);
    o.onState(room.participants.size > 0 ? 'connected' : 'waiting');
    room.on('participantConnected', (p: RemoteParticipant) => {
      watch(p);
      o.onState('connected');
    });
    room.on('participantDisconnected', () => {
      this.remote = new MediaStream();
      o.onRemoteStream(null);
      o.onState('waiting');
    });
    room.on('reconnecting', () => o.onState('reconnecting'));
    room.on('reconnected', () => o.onState(room.participants.size > 0 ? 'connected' : 'waiting'));
    room.on('disconnected', (_room: Room, error?: { code?: number }) => {
      if (error?.code === ROOM_COMPLETED && !this.ended) o.onEnded();
      o.onState('disconnected');
    });
  }

  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const local = this.room.localParticipant;
    for (const publication of local.tracks.values()) {
      if (publication.kind === track.kind && publication.track) local.unpublishTrack(publication.track);
    }
    await local.publishTrack(track);
  }

  disconnect(): void {
    this.ended = true;
    this.room.disconnect();
  }

  getStats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(null);
  }
}

export const twilioConnector: CallConnector = {
  async connect(options: ConnectOptions): Promise<CallHandle> {
    if (!options.join.token) throw new Error('The API issued no Twilio token for this call.');
    const { connect } = await import('twilio-video');
    const room = await connect(options.join.token, {
      name: options.join.roomName,
      tracks: options.localStream.getTracks(),
    });
    const call = new TwilioCall(room, options);
    call.start();
    return call;
  },
};
