import type { VideoJoin } from './video.queries';

/** What the call screen shows about the link to the other participant. */
export type CallState = 'connecting' | 'waiting' | 'connected' | 'reconnecting' | 'disconnected';

/** The server's word on recording: both consent and the call runs (`active`), or who withdrew. */
export interface RecordingSignal {
  active: boolean;
  clientConsented?: boolean;
  lawyerConsented?: boolean;
  /** Whose consent (given or withdrawn) changed it. */
  by?: 'CLIENT' | 'LAWYER' | null;
}

export interface CallEvents {
  /** The other participant's media (null when they left). */
  onRemoteStream(stream: MediaStream | null): void;
  onState(state: CallState): void;
  /** The lawyer ended the session: the call is over for both. */
  onEnded(): void;
  onRecording(state: RecordingSignal): void;
}

export interface CallHandle {
  /** Replaces the outgoing camera or microphone track (device change, camera off/on). */
  replaceTrack(track: MediaStreamTrack): Promise<void>;
  /** Leaves the call (the other side sees the peer leave). */
  disconnect(): void;
  /** Transport statistics (the journeys check that media flows); null when the provider keeps them. */
  getStats(): Promise<RTCStatsReport | null>;
}

export interface ConnectOptions extends CallEvents {
  sessionId: string;
  join: VideoJoin;
  localStream: MediaStream;
}

/**
 * The browser side of a video provider: same idea as the API's VideoProvider port. The call
 * screen only knows this interface; the peer-to-peer and Twilio implementations load on
 * demand (the Twilio SDK is a lazy chunk of its own), and another provider (LiveKit, Daily)
 * would be one more file here.
 */
export interface CallConnector {
  connect(options: ConnectOptions): Promise<CallHandle>;
}

/** The connector for the provider the API chose for this call. */
export async function connectorFor(provider: VideoJoin['provider']): Promise<CallConnector> {
  switch (provider) {
    case 'p2p':
      return (await import('./p2p-connector')).p2pConnector;
    case 'twilio':
      return (await import('./twilio-connector')).twilioConnector;
  }
}
