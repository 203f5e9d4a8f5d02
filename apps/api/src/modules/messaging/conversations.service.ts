import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { ConversationsRepository, type Conversation, type EpochRow, type ReadMarker } from './conversations.repository';
import type { CreateEpochDto } from './dto/conversations.dto';
import { epochStatement, fromB64, verifyEd25519 } from './e2ee-wire';
import { MessagingEventsPublisher } from './events/messaging-events';
import { KeysRepository } from './keys.repository';
import {
  ConversationNotFound,
  E2eeDeviceInvalid,
  E2eeEpochConflict,
  E2eeRecipientsMismatch,
  E2eeSealedInvalid,
  E2eeSignatureInvalid,
  InvalidMessagingCursor,
  MessageNotFound,
} from './messaging.errors';
import {
  decodeCursor,
  encodeCursor,
  expectedRecipients,
  needsRekey,
  SEALED_CIPHERTEXT_BYTES,
  SEALED_ENC_BYTES,
  sameRecipients,
} from './messaging-rules';
import { MessagesRepository } from './messages.repository';

export interface Participant {
  userId: string;
  displayName: string;
  role: 'CLIENT' | 'LAWYER';
}

export interface ConversationSummary {
  id: string;
  counterpart: Participant;
  createdAt: Date;
  lastMessageAt: Date | null;
  unreadCount: number;
  currentEpoch: number;
  needsRekey: boolean;
}

export interface ConversationDetail extends ConversationSummary {
  participants: Participant[];
  myReadUpTo: { messageId: string; at: Date } | null;
  counterpartReadUpTo: { messageId: string; at: Date } | null;
}

/** The recipients rule as the writers of a conversation apply it: who must hold its key now, and whose devices those are. */
export interface RecipientState {
  expected: string[];
  needsRekey: boolean;
  /** Active devices by id → owner. */
  activeDevices: Map<string, string>;
}

/**
 * Conversations between a client and a lawyer: the participant's list and detail, the key
 * epochs, and read markers. Only the two participants ever see a conversation; to anyone else it
 * does not exist (404 CONVERSATION_NOT_FOUND, the same as a missing id).
 */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly keys: KeysRepository,
    private readonly events: MessagingEventsPublisher,
  ) {}

  /** The caller's conversation, or 404 (also for someone else's). */
  async require(m: EntityManager, actor: AuthUser, id: string, opts: { lock?: boolean } = {}): Promise<Conversation> {
    const conversation = await this.conversations.findForParticipant(m, id, actor.id, opts);
    if (!conversation) throw new ConversationNotFound();
    return conversation;
  }

  /** Who the conversation's current epoch must be sealed to now, and whether it is. */
  async recipientState(m: EntityManager, c: Conversation): Promise<RecipientState> {
    const participants = await this.keys.recipientKeys(m, [c.clientId, c.lawyerId]);
    const activeDevices = new Map<string, string>();
    for (const p of participants) for (const id of p.activeDeviceIds) activeDevices.set(id, p.userId);
    const expected = expectedRecipients(participants);
    return { expected, needsRekey: needsRekey(c.currentEpoch, c.currentRecipients, expected), activeDevices };
  }

  async list(
    actor: AuthUser,
    query: { cursor?: string; limit: number },
  ): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) throw new InvalidMessagingCursor();
    const m = this.dataSource.manager;
    const rows = await this.conversations.list(m, actor.id, cursor, query.limit);
    // One read of the keys of everyone on the page decides each conversation's needsRekey.
    const users = [...new Set(rows.flatMap((r) => [r.clientId, r.lawyerId]))];
    const keys = new Map((await this.keys.recipientKeys(m, users)).map((k) => [k.userId, k]));
    const items = rows.map((r): ConversationSummary => {
      const expected = expectedRecipients([keys.get(r.clientId)!, keys.get(r.lawyerId)!]);
      return {
        id: r.id,
        counterpart: {
          userId: r.counterpartId,
          displayName: r.counterpartName,
          role: r.counterpartId === r.lawyerId ? 'LAWYER' : 'CLIENT',
        },
        createdAt: r.createdAt,
        lastMessageAt: r.lastMessageAt,
        unreadCount: r.unreadCount,
        currentEpoch: r.currentEpoch,
        needsRekey: needsRekey(r.currentEpoch, r.currentRecipients, expected),
      };
    });
    const last = rows[rows.length - 1];
    return { items, nextCursor: rows.length === query.limit && last ? encodeCursor({ at: last.activityAt, id: last.id }) : null };
  }

  async detail(actor: AuthUser, id: string): Promise<ConversationDetail> {
    const m = this.dataSource.manager;
    const c = await this.require(m, actor, id);
    const [state, names, reads, unreadCount] = await Promise.all([
      this.recipientState(m, c),
      this.conversations.names(m, [c.clientId, c.lawyerId]),
      this.conversations.reads(m, c.id),
      this.conversations.unreadCount(m, c.id, actor.id),
    ]);
    const participants: Participant[] = [
      { userId: c.clientId, displayName: names.get(c.clientId) ?? '', role: 'CLIENT' },
      { userId: c.lawyerId, displayName: names.get(c.lawyerId) ?? '', role: 'LAWYER' },
    ];
    const marker = (r: ReadMarker | undefined) => (r ? { messageId: r.messageId, at: r.readAt } : null);
    return {
      id: c.id,
      counterpart: participants.find((p) => p.userId !== actor.id)!,
      createdAt: c.createdAt,
      lastMessageAt: c.lastMessageAt,
      unreadCount,
      currentEpoch: c.currentEpoch,
      needsRekey: state.needsRekey,
      participants,
      myReadUpTo: marker(reads.find((r) => r.userId === actor.id)),
      counterpartReadUpTo: marker(reads.find((r) => r.userId !== actor.id)),
    };
  }

  async epochs(actor: AuthUser, id: string): Promise<EpochRow[]> {
    const m = this.dataSource.manager;
    const c = await this.require(m, actor, id);
    return this.conversations.epochs(m, c.id);
  }

  /**
   * A new content-key epoch, created by one of the caller's devices. Decided under the
   * conversation's lock: the epoch must be the current one + 1, sealed to exactly the
   * participants' active devices and backup keys as they are now (one sealed key per recipient,
   * in order, of HPKE's sizes), and signed by the creator device.
   */
  async createEpoch(actor: AuthUser, id: string, input: CreateEpochDto): Promise<EpochRow> {
    const signature = fromB64(input.signature)!;
    const sealedOk =
      input.sealed.length === input.recipients.length &&
      input.sealed.every(
        (s, i) =>
          s.recipient === input.recipients[i] &&
          fromB64(s.enc)?.length === SEALED_ENC_BYTES &&
          fromB64(s.ciphertext)?.length === SEALED_CIPHERTEXT_BYTES,
      );
    return transactionWithRetry(this.dataSource, async (m) => {
      const c = await this.require(m, actor, id, { lock: true });
      if (input.epoch !== c.currentEpoch + 1) throw new E2eeEpochConflict(undefined, { currentEpoch: c.currentEpoch });
      const state = await this.recipientState(m, c);
      if (state.activeDevices.get(input.creatorDeviceId) !== actor.id) throw new E2eeDeviceInvalid();
      if (!sameRecipients(input.recipients, state.expected))
        throw new E2eeRecipientsMismatch(undefined, { expected: state.expected });
      if (!sealedOk) throw new E2eeSealedInvalid();
      const creator = (await this.keys.device(m, input.creatorDeviceId))!;
      const statement = epochStatement(c.id, input.epoch, input.creatorDeviceId, input.recipients, input.sealed);
      if (!verifyEd25519(creator.ed25519PublicKey, statement, signature)) {
        throw new E2eeSignatureInvalid('The epoch’s signature does not verify with the creator device’s key');
      }
      const epoch = await this.conversations.addEpoch(m, {
        conversationId: c.id,
        epoch: input.epoch,
        creatorDeviceId: input.creatorDeviceId,
        recipients: input.recipients,
        sealed: input.sealed.map((s) => ({ recipient: s.recipient, enc: s.enc, ciphertext: s.ciphertext })),
        signature,
        createdAt: this.clock.now(),
      });
      await this.events.toParticipants(m, c, { type: 'epoch', data: { conversationId: c.id, epoch: epoch.epoch } });
      return epoch;
    });
  }

  /** Moves the caller's read marker to a message of the conversation (forward only); never emails. */
  async markRead(actor: AuthUser, id: string, messageId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const c = await this.require(m, actor, id);
      const message = await this.messages.findInConversation(m, c.id, messageId.toLowerCase());
      if (!message) throw new MessageNotFound();
      const moved = await this.conversations.moveReadMarker(m, {
        conversationId: c.id,
        userId: actor.id,
        messageId: message.id,
        messageCreatedAt: message.createdAt,
        now: this.clock.now(),
      });
      if (moved)
        await this.events.toParticipants(m, c, {
          type: 'read',
          data: { conversationId: c.id, userId: actor.id, messageId: message.id },
        });
    });
  }
}
