import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import twilio from 'twilio';
import { Clock } from '../../../common/time/clock';
import RequestClient from 'twilio/lib/base/RequestClient';
import { VideoCallbackSignatureInvalid } from '../video.errors';
import { VideoProvider, type NormalizedVideoEvent, type ProviderCallback, type ProviderRoomRef } from '../provider/video-provider';
import { normalizeTwilioCallback } from './twilio-callback-events';

/** What the Twilio provider needs from the configuration (all four credentials, and optionally a base URL for tests). */
export interface TwilioVideoConfig {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  authToken: string;
  /** Where REST calls go instead of https://*.twilio.com (a local fake in tests); unset in production. */
  apiBaseUrl?: string;
  /** Milliseconds one REST call may take (TWILIO_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** Default of TWILIO_TIMEOUT_MS: one REST call may take this long before it is abandoned. */
export const TWILIO_TIMEOUT_MS = 15_000;

/** Twilio's error for "a room with this UniqueName is already in progress". */
export const TWILIO_ROOM_EXISTS = 53113;
/** Join tokens never live longer than this (Twilio's own maximum is 24 hours). */
export const MAX_TOKEN_TTL_SECONDS = 24 * 3600;
const VIDEO_API = 'https://video.twilio.com/v1';
const MEDIA_TTL_SECONDS = 3600;

/**
 * The SDK's request client with an explicit timeout per call (TWILIO_TIMEOUT_MS) and, when
 * TWILIO_API_BASE_URL is set, every https://<product>.twilio.com URL rewritten to that base URL
 * (the tests' local fake of the Video REST API). Production leaves the URLs untouched.
 */
export class RebasedRequestClient extends RequestClient {
  private readonly base?: URL;

  constructor(baseUrl?: string, timeoutMs = TWILIO_TIMEOUT_MS) {
    super({ timeout: timeoutMs });
    this.base = baseUrl ? new URL(baseUrl) : undefined;
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: this.rebase(opts.uri) });
  }

  rebase(uri: string): string {
    if (!this.base) return uri;
    const url = new URL(uri);
    if (!/(^|\.)twilio\.com$/.test(url.hostname)) return uri;
    return `${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}${url.pathname}${url.search}`;
  }
}

interface TwilioError {
  status?: number;
  code?: number;
}
const twilioError = (e: unknown): TwilioError => (typeof e === 'object' && e !== null ? (e as TwilioError) : {});

/**
 * Twilio Video behind the provider port, through the official `twilio` SDK. A group room per
 * session (unique name = our opaque room name, status callbacks to PUBLIC_URL, not recording on
 * connect), join tokens with one room's VideoGrant, recording through Recording Rules, one
 * composition per room, its media streamed (never buffered), and Twilio's copies deleted once
 * ours is sealed. Group rooms go through Twilio's media servers: not end-to-end encrypted.
 */
export class TwilioVideoProvider extends VideoProvider {
  readonly name = 'twilio' as const;
  readonly endToEndEncrypted = false;
  readonly recordsInBrowser = false;
  private readonly logger = new Logger(TwilioVideoProvider.name);
  private readonly client: twilio.Twilio;

  constructor(
    private readonly config: TwilioVideoConfig,
    private readonly clock: Clock,
  ) {
    super();
    this.client = twilio(config.apiKeySid, config.apiKeySecret, {
      accountSid: config.accountSid,
      httpClient: new RebasedRequestClient(config.apiBaseUrl, config.timeoutMs),
    });
  }

  async ensureRoom(room: { roomName: string; statusCallbackUrl: string }): Promise<{ providerRoomSid: string | null }> {
    try {
      const created = await this.client.video.v1.rooms.create({
        uniqueName: room.roomName,
        type: 'group',
        statusCallback: room.statusCallbackUrl,
        statusCallbackMethod: 'POST',
        recordParticipantsOnConnect: false,
        maxParticipants: 2,
      });
      return { providerRoomSid: created.sid };
    } catch (e) {
      if (twilioError(e).code !== TWILIO_ROOM_EXISTS) throw e;
      // Created before (a retried transaction): the in-progress room of that name is ours.
      const existing = await this.client.video.v1.rooms(room.roomName).fetch();
      return { providerRoomSid: existing.sid };
    }
  }

  issueToken(input: { room: ProviderRoomRef; identity: string; expiresAt: Date; now: Date }): Promise<string | null> {
    const seconds = Math.floor((input.expiresAt.getTime() - input.now.getTime()) / 1000);
    const ttl = Math.min(Math.max(seconds, 1), MAX_TOKEN_TTL_SECONDS);
    const token = new twilio.jwt.AccessToken(this.config.accountSid, this.config.apiKeySid, this.config.apiKeySecret, {
      identity: input.identity,
      ttl,
    });
    token.addGrant(new twilio.jwt.AccessToken.VideoGrant({ room: input.room.roomName }));
    return Promise.resolve(token.toJwt());
  }

  async setRecording(room: ProviderRoomRef, on: boolean): Promise<void> {
    await this.client.video.v1.rooms(this.roomKey(room)).recordingRules.update({ rules: [{ type: on ? 'include' : 'exclude', all: true }] });
  }

  async endRoom(room: ProviderRoomRef): Promise<void> {
    const key = this.roomKey(room);
    try {
      await this.client.video.v1.rooms(key).update({ status: 'completed' });
    } catch (e) {
      // Ending an ended room is not an error (Twilio may have closed it first).
      const status = twilioError(e).status;
      if (status === 404) return;
      const current = await this.client.video.v1.rooms(key).fetch().catch(() => null);
      if (current?.status === 'completed' || current?.status === 'failed') return;
      throw e;
    }
  }

  async requestComposition(room: ProviderRoomRef & { statusCallbackUrl: string }): Promise<{ compositionSid: string } | null> {
    if (!room.providerRoomSid) return null;
    const composition = await this.client.video.v1.compositions.create({
      roomSid: room.providerRoomSid,
      audioSources: ['*'],
      videoLayout: { grid: { video_sources: ['*'] } },
      format: 'mp4',
      statusCallback: room.statusCallbackUrl,
      statusCallbackMethod: 'POST',
      trim: true,
    });
    return { compositionSid: composition.sid };
  }

  async openComposition(compositionSid: string): Promise<{ stream: Readable; contentType: string; size?: number }> {
    // GET …/Media answers with a short-lived URL of the file (302 Location, or JSON redirect_to).
    const answer = await this.client.request({
      method: 'get',
      uri: `${VIDEO_API}/Compositions/${encodeURIComponent(compositionSid)}/Media?Ttl=${MEDIA_TTL_SECONDS}`,
    });
    const headers = (answer.headers ?? {}) as Record<string, string | undefined>;
    const body = (typeof answer.body === 'string' ? safeJson(answer.body) : answer.body) as { redirect_to?: string } | null;
    const location = answer.statusCode >= 300 && answer.statusCode < 400 ? headers.location : body?.redirect_to;
    if (answer.statusCode >= 400 || !location) {
      throw new Error(`Twilio did not give the media of composition ${compositionSid} (HTTP ${answer.statusCode})`);
    }
    const media = await fetch(location, { redirect: 'follow' });
    if (!media.ok || !media.body) {
      await media.body?.cancel();
      throw new Error(`The media of composition ${compositionSid} could not be downloaded (HTTP ${media.status})`);
    }
    const length = Number(media.headers.get('content-length'));
    return {
      stream: Readable.fromWeb(media.body as unknown as WebReadableStream<Uint8Array>),
      contentType: 'video/mp4',
      size: Number.isFinite(length) && length > 0 ? length : undefined,
    };
  }

  async deleteProviderCopies(input: { providerRoomSid: string; compositionSid: string }): Promise<void> {
    await ignoreNotFound(this.client.video.v1.compositions(input.compositionSid).remove());
    const recordings = await this.client.video.v1.rooms(input.providerRoomSid).recordings.list({ pageSize: 100 });
    for (const recording of recordings) {
      await ignoreNotFound(this.client.video.v1.rooms(input.providerRoomSid).recordings(recording.sid).remove());
    }
    this.logger.log(`Deleted Twilio's composition ${input.compositionSid} and ${recordings.length} recordings of room ${input.providerRoomSid}`);
  }

  parseCallback(callback: ProviderCallback): NormalizedVideoEvent[] {
    if (!callback.signature || !twilio.validateRequest(this.config.authToken, callback.signature, callback.url, callback.params)) {
      throw new VideoCallbackSignatureInvalid();
    }
    return normalizeTwilioCallback(callback.kind, callback.params, this.clock.now());
  }

  /** Rooms are addressed by their sid, or by unique name before we know it. */
  private roomKey(room: ProviderRoomRef): string {
    return room.providerRoomSid ?? room.roomName;
  }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (twilioError(e).status !== 404) throw e;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
