import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** What a participant's browser relays to the other one. */
export const SIGNAL_TYPES = ['offer', 'answer', 'candidate', 'bye', 'recording'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** What the server itself sends on the stream (from 'server'). */
export const SERVER_SIGNAL_TYPES = ['peer-joined', 'peer-left', 'ended', 'recording-state'] as const;

export class SendSignalDto {
  /** The other participant's identity (from their 'peer-joined' or the stream's 'ready' event); omitted: whoever else is in the call. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @ApiProperty({ required: false, example: 'p_3f9c2a7d1b6e4f0a8c5d2e1f0a9b8c7d' })
  to?: string;

  /** offer / answer / candidate (WebRTC negotiation), bye (hanging up), recording (this side started or stopped recording). */
  @IsIn(SIGNAL_TYPES)
  @ApiProperty({ enum: SIGNAL_TYPES })
  type: SignalType;

  /** The message itself, relayed as is (an RTCSessionDescriptionInit, an RTCIceCandidateInit…); at most 64 KiB as JSON. */
  @IsObject()
  @ApiProperty({ type: 'object', additionalProperties: true, example: { type: 'offer', sdp: 'v=0…' } })
  data: Record<string, unknown>;
}

export class SignalAcceptedResponse {
  /** The message's id: the `id:` of the event that delivers it. */
  @ApiProperty({ example: '42' })
  id: string;
}
