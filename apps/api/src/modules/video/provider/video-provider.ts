import type { Readable } from 'node:stream';

/** The providers this build knows. A LiveKit or Daily adapter would add its name here. */
export type VideoProviderName = 'twilio' | 'p2p';

/** A room as the provider knows it: our opaque name, and the provider's own id once it has one. */
export interface ProviderRoomRef {
  roomName: string;
  providerRoomSid: string | null;
}

/** A provider callback, verified and normalised; `dedupeKey` is unique per delivery of one event. */
export type NormalizedVideoEvent =
  | { type: 'room-created' | 'room-ended'; dedupeKey: string; roomName: string; providerRoomSid: string; occurredAt: Date }
  | {
      type: 'participant-connected' | 'participant-disconnected';
      dedupeKey: string;
      roomName: string;
      providerRoomSid: string;
      identity: string;
      occurredAt: Date;
    }
  | { type: 'recording-started' | 'recording-completed'; dedupeKey: string; roomName: string; providerRoomSid: string; occurredAt: Date }
  | {
      type: 'composition-available' | 'composition-failed';
      dedupeKey: string;
      providerRoomSid: string;
      compositionSid: string;
      /** Media size in bytes and duration in seconds, when the provider says. */
      size?: number;
      durationSeconds?: number;
      occurredAt: Date;
    }
  /** Anything else the provider sends: stored, not acted upon. */
  | { type: 'other'; dedupeKey: string; providerRoomSid: string | null; event: string; occurredAt: Date };

/** A callback as received: which endpoint, the URL it was signed for, the signature and the form fields. */
export interface ProviderCallback {
  kind: 'rooms' | 'compositions';
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

/**
 * The one interface the rest of the app uses for video calls. Two implementations, chosen by
 * configuration (AppConfig.videoProvider): Twilio Video, and the built-in peer-to-peer provider.
 * Sessions, storage and the SPA's call screen only ever see this shape, so another provider
 * (LiveKit, Daily) is one more implementation, not a change elsewhere.
 */
export abstract class VideoProvider {
  abstract readonly name: VideoProviderName;
  /** Whether media is encrypted between the two browsers only (true for p2p; Twilio's SFU decrypts). */
  abstract readonly endToEndEncrypted: boolean;
  /** Whether each browser records and uploads its own tracks (p2p) rather than the provider recording (Twilio). */
  abstract readonly recordsInBrowser: boolean;

  /**
   * Creates the provider's room for `roomName`, or finds it when it exists already (idempotent by
   * name). Called with the session row locked, once per session.
   */
  abstract ensureRoom(room: { roomName: string; statusCallbackUrl: string }): Promise<{ providerRoomSid: string | null }>;

  /** A join credential for one participant of that room only, expiring at `expiresAt`; null when the provider needs none. */
  abstract issueToken(input: { room: ProviderRoomRef; identity: string; expiresAt: Date; now: Date }): Promise<string | null>;

  /** Starts (both participants consented) or stops recording the room. */
  abstract setRecording(room: ProviderRoomRef, on: boolean): Promise<void>;

  /** Ends the room for everyone; ending an ended room is not an error. */
  abstract endRoom(room: ProviderRoomRef): Promise<void>;

  /** Asks for the room's composed recording; null when the provider composes nothing (p2p). */
  abstract requestComposition(room: ProviderRoomRef & { statusCallbackUrl: string }): Promise<{ compositionSid: string } | null>;

  /** Streams a finished composition's media (never buffered whole). */
  abstract openComposition(compositionSid: string): Promise<{ stream: Readable; contentType: string; size?: number }>;

  /** Deletes the provider's copies (composition and source recordings) once ours is safe. */
  abstract deleteProviderCopies(input: { providerRoomSid: string; compositionSid: string }): Promise<void>;

  /**
   * Verifies a callback's signature (throws VideoCallbackSignatureInvalid, nothing written) and
   * normalises it.
   */
  abstract parseCallback(callback: ProviderCallback): NormalizedVideoEvent[];
}
