import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';
import { TwilioCallbacksService, type CallbackDelivery } from './twilio-callbacks.service';

/** A Twilio status callback is a few dozen short form fields; 16 KB refuses junk before parsing. */
export const TWILIO_CALLBACK_BODY_LIMIT = 16 * 1024;

export class TwilioCallbackAckResponse {
  /** Always true: the callback was verified and stored (or had been already). */
  @ApiProperty({ example: true })
  received!: boolean;
}

/** The form Twilio posts: its status callback fields, all strings (only the ones we read are listed). */
const FORM = (fields: Record<string, string>) => ({
  required: true,
  schema: {
    type: 'object' as const,
    properties: Object.fromEntries(Object.entries(fields).map(([name, example]) => [name, { type: 'string', example }])),
    required: ['StatusCallbackEvent'],
    additionalProperties: { type: 'string' },
  },
});
const ROOM_FORM = FORM({
  StatusCallbackEvent: 'participant-connected',
  RoomSid: 'RM0123456789abcdef0123456789abcdef',
  RoomName: 'lm_0123456789abcdef0123456789abcdef',
  ParticipantSid: 'PA0123456789abcdef0123456789abcdef',
  ParticipantIdentity: 'p_0123456789abcdef0123456789abcdef',
  SequenceNumber: '3',
  Timestamp: '2026-11-30T10:00:00.000Z',
});
const COMPOSITION_FORM = FORM({
  StatusCallbackEvent: 'composition-available',
  RoomSid: 'RM0123456789abcdef0123456789abcdef',
  CompositionSid: 'CJ0123456789abcdef0123456789abcdef',
  Size: '10485760',
  Duration: '1800',
  Timestamp: '2026-11-30T11:00:00.000Z',
});

const SIGNATURE = {
  name: 'X-Twilio-Signature',
  required: true,
  description: 'Base64 HMAC-SHA1 with the account Auth Token over PUBLIC_URL + path (+ query) followed by the sorted form fields',
};

/**
 * Twilio Video's status callbacks. Public (Twilio has no token of ours), authenticated by
 * X-Twilio-Signature over the URL built from PUBLIC_URL — not from the Host header, so it is
 * right behind a proxy or a path prefix — and the form fields as received. Checked before any
 * database access (400 VIDEO_CALLBACK_SIGNATURE_INVALID, nothing written); 404
 * VIDEO_CALLBACK_NOT_SUPPORTED when this deployment runs peer-to-peer calls.
 */
@ApiTags('video')
@Controller('webhooks/twilio')
export class TwilioWebhookController {
  constructor(private readonly callbacks: TwilioCallbacksService) {}

  @Post('rooms')
  @Public()
  @RouteConfig({ bodyLimit: TWILIO_CALLBACK_BODY_LIMIT })
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveTwilioRoomCallback',
    summary:
      'Twilio room status callbacks (room-created/ended, participant-connected/disconnected, recording-*). Verified with X-Twilio-Signature ' +
      '(400 VIDEO_CALLBACK_SIGNATURE_INVALID, nothing written); stored once per event; applied to the attendance log and the end of the call.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody(ROOM_FORM)
  @ApiHeader(SIGNATURE)
  @ApiOkResponse({ type: TwilioCallbackAckResponse })
  @ApiErrorResponses(400, 404, 413)
  async rooms(@Req() request: RawBodyRequest<FastifyRequest>, @Headers('x-twilio-signature') signature: string | undefined): Promise<TwilioCallbackAckResponse> {
    await this.callbacks.receive('rooms', deliveryOf(request, signature));
    return { received: true };
  }

  @Post('compositions')
  @Public()
  @RouteConfig({ bodyLimit: TWILIO_CALLBACK_BODY_LIMIT })
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveTwilioCompositionCallback',
    summary:
      'Twilio composition status callbacks. composition-available enqueues the copy of the media into our blob store (then Twilio’s copies are deleted); ' +
      'composition-failed marks the recording failed. Verified with X-Twilio-Signature (400 VIDEO_CALLBACK_SIGNATURE_INVALID, nothing written).',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody(COMPOSITION_FORM)
  @ApiHeader(SIGNATURE)
  @ApiOkResponse({ type: TwilioCallbackAckResponse })
  @ApiErrorResponses(400, 404, 413)
  async compositions(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('x-twilio-signature') signature: string | undefined,
  ): Promise<TwilioCallbackAckResponse> {
    await this.callbacks.receive('compositions', deliveryOf(request, signature));
    return { received: true };
  }
}

/** What the service needs of the request (it never sees Fastify's objects). */
function deliveryOf(request: RawBodyRequest<FastifyRequest>, signature: string | undefined): CallbackDelivery {
  const q = request.url.indexOf('?');
  return {
    contentType: request.headers['content-type'],
    rawBody: request.rawBody,
    query: q === -1 ? '' : request.url.slice(q + 1),
    signature,
  };
}
