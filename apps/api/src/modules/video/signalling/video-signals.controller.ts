import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply } from 'fastify';
import { takeOverAsEventStream } from '../../../common/http/event-stream';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../../common/http/uuid-param';
import { SendSignalDto, SignalAcceptedResponse } from './dto/signal.dto';
import { SIGNAL_DATA_MAX_BYTES, VideoSignallingService } from './video-signalling.service';

/** The request body limit of a posted signal: its data plus room for the envelope; more is 413 before parsing. */
const SIGNAL_BODY_LIMIT = SIGNAL_DATA_MAX_BYTES + 8 * 1024;

/**
 * The peer-to-peer call's signalling: an event stream per participant and a POST for messages
 * to the other one. The stream is read with `fetch` (the access token goes in the Authorization
 * header, which EventSource cannot send).
 */
@ApiTags('video')
@Controller('sessions')
export class VideoSignalsController {
  constructor(private readonly signalling: VideoSignallingService) {}

  @Get(':id/video/signals')
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'streamSessionVideoSignals',
    summary:
      'Server-Sent Events: the call’s signalling messages for the caller (who must have joined). First `event: ready` ' +
      '(data `{identity, role, peers}`), then `id: <n>` / `event: signal` / `data: {"id","from","type","data"}` per message: ' +
      'offer, answer, candidate, bye, recording from the other participant; peer-joined, peer-left, recording-state and ended from the server ' +
      '(the stream ends after ended). `: ping` every 15 s. Send `Last-Event-ID` when reconnecting to get every message after that id; ' +
      'without it the stream starts at the newest message. Opening the stream records attendance "joined", closing it "left".',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received (reconnecting); digits only' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrorResponses(400, 404, 409, 503)
  async stream(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Every refusal is thrown here, before the response is taken over, so it gets the usual error body.
    const opened = await this.signalling.open(actor, id, lastEventId);
    takeOverAsEventStream(reply, opened);
  }

  @Post(':id/video/signals')
  @HttpCode(202)
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @RouteConfig({ bodyLimit: SIGNAL_BODY_LIMIT })
  @ApiOperation({
    operationId: 'sendSessionVideoSignal',
    summary:
      'Relay a signalling message (offer, answer, candidate, bye, recording) to the other participant, through whichever server holds their stream. ' +
      '`to` must be the other participant’s identity (400 SIGNAL_RECIPIENT_INVALID) or omitted; `data` at most 64 KiB (413 SIGNAL_TOO_LARGE). ' +
      'Only after joining (409 VIDEO_NOT_JOINED) and while the call is open (409 VIDEO_JOIN_CLOSED).',
  })
  @ApiAcceptedResponse({ type: SignalAcceptedResponse })
  @ApiErrorResponses(400, 404, 409, 413)
  async send(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: SendSignalDto): Promise<SignalAcceptedResponse> {
    return this.signalling.send(actor, id, { to: body.to, type: body.type, data: body.data });
  }
}
