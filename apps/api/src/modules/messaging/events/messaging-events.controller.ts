import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { takeOverAsEventStream } from '../../../common/http/event-stream';
import type { AuthUser } from '../../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';
import { MessagingStreams } from './messaging-streams.service';

/**
 * The caller's live messaging events. Read with `fetch` (the access token goes in the
 * Authorization header, which EventSource cannot send).
 */
@ApiTags('messaging')
@Controller('messaging')
@Authenticated()
export class MessagingEventsController {
  constructor(private readonly streams: MessagingStreams) {}

  @Get('events')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'streamMessagingEvents',
    summary:
      'Server-Sent Events about the caller’s conversations, ids only: `message` {conversationId, messageId}, `read` {conversationId, userId, messageId}, ' +
      '`epoch` {conversationId, epoch}, `keys` {userId} (the caller’s or a counterpart’s keys changed), `note` {sessionId, conversationId, kind}. ' +
      '`: ping` every 20 s. The server ends the stream when the access token expires (reconnect with a fresh one) and at shutdown; ' +
      'refetch what you show after reconnecting. At most 5 streams per user and server (429 MESSAGING_STREAM_LIMIT); 503 MESSAGING_EVENTS_UNAVAILABLE.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrorResponses(429, 503)
  async stream(@CurrentUser() actor: AuthUser, @Res() reply: FastifyReply): Promise<void> {
    // Every refusal is thrown here, before the response is taken over, so it gets the usual error body.
    const opened = await this.streams.open(actor);
    takeOverAsEventStream(reply, opened);
  }
}
