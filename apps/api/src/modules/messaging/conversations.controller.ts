import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { AttachmentsService } from './attachments.service';
import { ConversationsService, type ConversationSummary } from './conversations.service';
import {
  CreateEpochDto,
  ListConversationsQueryDto,
  ListMessagesQueryDto,
  MarkReadDto,
  SendMessageDto,
} from './dto/conversations.dto';
import {
  AttachmentUploadResponse,
  ConversationDetailResponse,
  ConversationPageResponse,
  ConversationSummaryResponse,
  EpochListResponse,
  EpochResponse,
  MessagePageResponse,
  WireMessageResponse,
  toEpochResponse,
  toWireMessage,
} from './dto/conversations.response';
import { AttachmentInvalid, AttachmentNotBinary } from './messaging.errors';
import { MessagesService } from './messages.service';

/**
 * A client's and a lawyer's end-to-end encrypted conversation: its key epochs, messages (the
 * server stores and relays ciphertext only), read markers and encrypted attachments. Only its
 * two participants: for anyone else every route is 404 CONVERSATION_NOT_FOUND.
 */
@ApiTags('messaging')
@Controller('conversations')
@Authenticated()
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get()
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'listConversations',
    summary:
      'The caller’s conversations, most recent activity first, with the other participant, unread count and whether a new key epoch is needed.',
  })
  @ApiOkResponse({ type: ConversationPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListConversationsQueryDto): Promise<ConversationPageResponse> {
    const page = await this.conversations.list(actor, query);
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'getConversation',
    summary: 'A conversation: both participants, unread count, epoch state and both read markers.',
  })
  @ApiOkResponse({ type: ConversationDetailResponse })
  @ApiErrorResponses(400, 404)
  async detail(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<ConversationDetailResponse> {
    const d = await this.conversations.detail(actor, id);
    return {
      ...toSummary(d),
      participants: d.participants,
      myReadUpTo: d.myReadUpTo ? { messageId: d.myReadUpTo.messageId, at: d.myReadUpTo.at.toISOString() } : null,
      counterpartReadUpTo: d.counterpartReadUpTo
        ? { messageId: d.counterpartReadUpTo.messageId, at: d.counterpartReadUpTo.at.toISOString() }
        : null,
    };
  }

  @Get(':id/epochs')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'listConversationEpochs',
    summary: 'Every key epoch of the conversation, oldest first: recipients, the sealed keys and the creator’s signature.',
  })
  @ApiOkResponse({ type: EpochListResponse })
  @ApiErrorResponses(400, 404)
  async epochs(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<EpochListResponse> {
    return { items: (await this.conversations.epochs(actor, id)).map(toEpochResponse) };
  }

  @Post(':id/epochs')
  @Scopes('messages:write')
  @ApiOperation({
    operationId: 'createConversationEpoch',
    summary:
      'A new content-key epoch, sealed to every active device of both participants and to each one’s backup key, signed by one of the caller’s ' +
      'active devices (verified: 400 E2EE_SIGNATURE_INVALID). 409 E2EE_EPOCH_CONFLICT when `epoch` is not current + 1 (`details.currentEpoch`); ' +
      '409 E2EE_RECIPIENTS_MISMATCH with `details.expected`; 400 E2EE_DEVICE_INVALID; 400 E2EE_SEALED_INVALID.',
  })
  @ApiCreatedResponse({ type: EpochResponse })
  @ApiErrorResponses(400, 404, 409)
  async createEpoch(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: CreateEpochDto,
  ): Promise<EpochResponse> {
    return toEpochResponse(await this.conversations.createEpoch(actor, id, body));
  }

  @Get(':id/messages')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'listConversationMessages',
    summary: 'A page of messages (ciphertext), newest first; pass `nextCursor` as `before` for older ones.',
  })
  @ApiOkResponse({ type: MessagePageResponse })
  @ApiErrorResponses(400, 404)
  async messagesPage(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Query() query: ListMessagesQueryDto,
  ): Promise<MessagePageResponse> {
    const page = await this.messages.page(actor, id, query);
    return { items: page.items.map(toWireMessage), nextCursor: page.nextCursor };
  }

  @Post(':id/messages')
  @Scopes('messages:write')
  @ApiOperation({
    operationId: 'sendConversationMessage',
    summary:
      'Stores a message encrypted with the current epoch’s key and tells both participants’ event streams; the recipient gets one email ' +
      '(without content) until they read. The same message again → 200 with the stored one; another under the same id → 409 MESSAGE_ID_CONFLICT. ' +
      '409 E2EE_EPOCH_STALE (rekey first), 400 E2EE_CIPHERTEXT_SIZE, 400 E2EE_DEVICE_INVALID, 400 ATTACHMENT_INVALID.',
  })
  @ApiCreatedResponse({ type: WireMessageResponse, description: 'Stored' })
  @ApiOkResponse({ type: WireMessageResponse, description: 'Already stored (an identical replay)' })
  @ApiErrorResponses(400, 404, 409)
  async send(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WireMessageResponse> {
    const { message, created } = await this.messages.send(actor, id, body);
    void reply.status(created ? 201 : 200);
    return toWireMessage(message);
  }

  @Post(':id/read')
  @Scopes('messages:write')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'markConversationRead',
    summary: 'Moves the caller’s read marker to a message of the conversation; it never moves back. 404 MESSAGE_NOT_FOUND.',
  })
  @ApiNoContentResponse({ description: 'Read marker at (or already past) the message' })
  @ApiErrorResponses(400, 404)
  async markRead(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: MarkReadDto,
  ): Promise<void> {
    await this.conversations.markRead(actor, id, body.messageId);
  }

  // No route-wide bodyLimit here: the raw stream parser (attachment-upload.parser.ts) enforces
  // the attachment limit itself, and raising the route's limit would let the JSON and text
  // parsers buffer 25 MiB bodies before the guard even runs.
  @Post(':id/attachments/:attachmentId')
  @Scopes('messages:write')
  @ApiOperation({
    operationId: 'uploadConversationAttachment',
    summary:
      'Uploads an attachment encrypted in the browser (raw bytes, at most 26214416: 413 ATTACHMENT_TOO_LARGE), under an id the browser chose ' +
      '(409 ATTACHMENT_EXISTS if used). A message then carries its id and, encrypted, its key.',
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: AttachmentUploadResponse })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async upload(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('attachmentId', UuidParam('attachmentId')) attachmentId: string,
    @Req() request: FastifyRequest,
  ): Promise<AttachmentUploadResponse> {
    const body = request.body;
    if (body === undefined || body === null)
      throw new AttachmentInvalid('The attachment is empty: an encrypted file is at least 16 bytes');
    if (!(body instanceof Readable)) throw new AttachmentNotBinary();
    const a = await this.attachments.upload(actor, id, attachmentId, body);
    return { id: a.id, size: a.size, createdAt: a.createdAt.toISOString() };
  }

  @Get(':id/attachments/:attachmentId')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'downloadConversationAttachment',
    summary:
      'An attachment’s ciphertext, as uploaded (the browser decrypts it with the key from the message). 404 ATTACHMENT_NOT_FOUND.',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, schema: { type: 'string', format: 'binary' }, description: 'The encrypted file' })
  @ApiErrorResponses(400, 404)
  async download(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('attachmentId', UuidParam('attachmentId')) attachmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.attachments.download(actor, id, attachmentId);
    void reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff');
    return new StreamableFile(file.stream, { type: 'application/octet-stream', length: file.size, disposition: 'attachment' });
  }
}

function toSummary(s: ConversationSummary): ConversationSummaryResponse {
  return {
    id: s.id,
    counterpart: s.counterpart,
    createdAt: s.createdAt.toISOString(),
    lastMessageAt: s.lastMessageAt ? s.lastMessageAt.toISOString() : null,
    unreadCount: s.unreadCount,
    currentEpoch: s.currentEpoch,
    needsRekey: s.needsRekey,
  };
}
