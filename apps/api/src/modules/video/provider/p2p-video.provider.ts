import type { Readable } from 'node:stream';
import { VideoCallbackNotSupported } from '../video.errors';
import { VideoProvider, type NormalizedVideoEvent, type ProviderRoomRef } from './video-provider';

/**
 * The built-in provider: a WebRTC call straight between the two browsers, signalled through the
 * API (see signalling/). Media never reaches a server, so the call is end-to-end encrypted
 * (DTLS-SRTP); each browser records its own outgoing tracks and uploads them in chunks
 * (recordings/). There is nothing to create, sign or delete at a provider.
 */
export class P2pVideoProvider extends VideoProvider {
  readonly name = 'p2p' as const;
  readonly endToEndEncrypted = true;
  readonly recordsInBrowser = true;

  ensureRoom(): Promise<{ providerRoomSid: string | null }> {
    return Promise.resolve({ providerRoomSid: null });
  }

  issueToken(): Promise<string | null> {
    return Promise.resolve(null);
  }

  setRecording(): Promise<void> {
    return Promise.resolve();
  }

  endRoom(): Promise<void> {
    return Promise.resolve();
  }

  requestComposition(): Promise<{ compositionSid: string } | null> {
    return Promise.resolve(null);
  }

  openComposition(): Promise<{ stream: Readable; contentType: string; size?: number }> {
    return Promise.reject(new VideoCallbackNotSupported());
  }

  deleteProviderCopies(): Promise<void> {
    return Promise.resolve();
  }

  parseCallback(): NormalizedVideoEvent[] {
    throw new VideoCallbackNotSupported();
  }
}

export type { ProviderRoomRef };
