import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { NotificationsService } from '../notifications';
import { ConversationsRepository, type Conversation } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import type { SendMessageDto } from './dto/conversations.dto';
import { fromB64 } from './e2ee-wire';
import { MessagingEventsPublisher } from './events/messaging-events';
import {
  AttachmentInvalid,
  E2eeCiphertextSize,
  E2eeDeviceInvalid,
  E2eeEpochStale,
  InvalidMessagingCursor,
  MessageIdConflict,
} from './messaging.errors';
import { decodeCursor, encodeCursor, isPaddedSize, MESSAGE_CIPHERTEXT_SIZES } from './messaging-rules';
import { MessagesRepository, type MessageRow } from './messages.repository';

/**
 * Messages: ciphertext, padded to a size bucket, stored with its sender device, epoch and time,
 * never anything about its content. Sending is idempotent by message id (the id is part of the
 * AAD the sender encrypted under): the same message again is answered with the stored one, a
 * different one under a used id is a conflict.
 */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly conversations: ConversationsService,
    private readonly conversationRows: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly events: MessagingEventsPublisher,
    private readonly notifications: NotificationsService,
  ) {}

  /** A page of the conversation's messages, newest first; `before` is the previous page's `nextCursor`. */
  async page(
    actor: AuthUser,
    conversationId: string,
    query: { before?: string; limit: number },
  ): Promise<{ items: MessageRow[]; nextCursor: string | null }> {
    const before = query.before === undefined ? null : decodeCursor(query.before);
    if (query.before !== undefined && !before) throw new InvalidMessagingCursor();
    const m = this.dataSource.manager;
    const c = await this.conversations.require(m, actor, conversationId);
    const items = await this.messages.page(m, c.id, before, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  /**
   * Stores a message from one of the caller's active devices, in the conversation's current
   * epoch (which must still be sealed to exactly the current devices: otherwise 409
   * E2EE_EPOCH_STALE, and the sender rekeys first), links the attachments it carries, moves the
   * sender's read marker to it, tells both participants' streams, and emails the recipient that
   * there is a new message (no content) unless an earlier email is still unread.
   * `created` is false for an identical replay of a stored message.
   */
  async send(actor: AuthUser, conversationId: string, input: SendMessageDto): Promise<{ message: MessageRow; created: boolean }> {
    const nonce = fromB64(input.nonce)!;
    const ciphertext = fromB64(input.ciphertext)!;
    const signature = fromB64(input.signature)!;
    const attachmentIds = input.attachmentIds ?? [];
    if (!isPaddedSize(ciphertext.length, MESSAGE_CIPHERTEXT_SIZES))
      throw new E2eeCiphertextSize(undefined, { allowed: MESSAGE_CIPHERTEXT_SIZES });
    // A unique_violation (the same id sent twice at once) re-runs the transaction, which then finds the winner's row.
    return transactionWithRetry(this.dataSource, async (m) => {
      const c = await this.conversations.require(m, actor, conversationId, { lock: true });
      const existing = await this.messages.find(m, input.id);
      if (existing) {
        const same =
          existing.conversationId === c.id &&
          existing.senderUserId === actor.id &&
          existing.senderDeviceId === input.senderDeviceId &&
          existing.epoch === input.epoch &&
          existing.nonce.equals(nonce) &&
          existing.ciphertext.equals(ciphertext) &&
          existing.signature.equals(signature) &&
          existing.attachmentIds.length === attachmentIds.length &&
          existing.attachmentIds.every((id, i) => id === attachmentIds[i]);
        if (!same) throw new MessageIdConflict();
        return { message: existing, created: false };
      }
      const state = await this.conversations.recipientState(m, c);
      if (state.activeDevices.get(input.senderDeviceId) !== actor.id) throw new E2eeDeviceInvalid();
      if (input.epoch !== c.currentEpoch || state.needsRekey) {
        throw new E2eeEpochStale(undefined, { currentEpoch: c.currentEpoch, needsRekey: state.needsRekey });
      }
      const now = this.clock.now();
      const message = await this.messages.insert(m, {
        id: input.id,
        conversationId: c.id,
        senderUserId: actor.id,
        senderDeviceId: input.senderDeviceId,
        epoch: input.epoch,
        nonce,
        ciphertext,
        signature,
        attachmentIds,
        createdAt: now,
      });
      const linked = await this.messages.link(m, {
        conversationId: c.id,
        uploaderId: actor.id,
        ids: attachmentIds,
        messageId: message.id,
      });
      if (linked !== attachmentIds.length) throw new AttachmentInvalid();
      await this.conversationRows.touch(m, c.id, now);
      // Writing is reading: the sender has seen everything up to their own message.
      await this.conversationRows.moveReadMarker(m, {
        conversationId: c.id,
        userId: actor.id,
        messageId: message.id,
        messageCreatedAt: message.createdAt,
        now,
      });
      await this.events.toParticipants(m, c, { type: 'message', data: { conversationId: c.id, messageId: message.id } });
      await this.notifyRecipient(m, c, actor.id, now);
      return { message, created: true };
    });
  }

  /** At most one "new message" email per recipient and conversation until they read it. */
  private async notifyRecipient(m: EntityManager, c: Conversation, senderId: string, now: Date): Promise<void> {
    const recipientId = senderId === c.clientId ? c.lawyerId : c.clientId;
    if (!(await this.conversationRows.claimNewMessageEmail(m, c.id, recipientId, now))) return;
    const senderName = (await this.notifications.names(m, [senderId])).get(senderId) ?? 'your counterpart';
    await this.notifications.notify(m, {
      userId: recipientId,
      kind: 'message.received',
      params: { conversationId: c.id, counterpartName: senderName },
    });
  }
}
