import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { SessionNotFound, SessionQueries } from '../consultations-core';
import { ConversationsRepository, type Conversation } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import type { SaveNoteDto } from './dto/conversations.dto';
import { fromB64 } from './e2ee-wire';
import { MessagingEventsPublisher } from './events/messaging-events';
import { E2eeCiphertextSize, E2eeDeviceInvalid, E2eeEpochStale, NoteVersionConflict } from './messaging.errors';
import { isPaddedSize, NOTE_CIPHERTEXT_SIZES } from './messaging-rules';
import { SessionNotesRepository, type NoteKind, type NoteRow } from './session-notes.repository';

/**
 * A session's encrypted notes: the agenda client and lawyer share, and each participant's private
 * note, which only its author ever gets back. Both are encrypted with the pair's conversation
 * key (so a session needs its pair's conversation: opened when the first session was paid), and
 * saved with an optimistic version: a save must name the saved version + 1.
 */
@Injectable()
export class SessionNotesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sessions: SessionQueries,
    private readonly conversations: ConversationsService,
    private readonly conversationRows: ConversationsRepository,
    private readonly notes: SessionNotesRepository,
    private readonly events: MessagingEventsPublisher,
  ) {}

  async read(
    actor: AuthUser,
    sessionId: string,
  ): Promise<{ conversationId: string; agenda: NoteRow | null; private: NoteRow | null }> {
    const m = this.dataSource.manager;
    const conversation = await this.conversationOf(m, actor, sessionId);
    const [agenda, own] = await Promise.all([
      this.notes.find(m, sessionId, 'AGENDA', null),
      this.notes.find(m, sessionId, 'PRIVATE', actor.id),
    ]);
    return { conversationId: conversation.id, agenda, private: own };
  }

  async save(actor: AuthUser, sessionId: string, kind: NoteKind, input: SaveNoteDto): Promise<NoteRow> {
    const nonce = fromB64(input.nonce)!;
    const ciphertext = fromB64(input.ciphertext)!;
    const signature = fromB64(input.signature)!;
    if (!isPaddedSize(ciphertext.length, NOTE_CIPHERTEXT_SIZES))
      throw new E2eeCiphertextSize(undefined, { allowed: NOTE_CIPHERTEXT_SIZES });
    return transactionWithRetry(this.dataSource, async (m) => {
      const found = await this.conversationOf(m, actor, sessionId);
      // The conversation's lock orders this save with epoch changes (and with other saves of its notes).
      const c = (await this.conversationRows.findForParticipant(m, found.id, actor.id, { lock: true }))!;
      const owner = kind === 'PRIVATE' ? actor.id : null;
      const previous = await this.notes.find(m, sessionId, kind, owner, { lock: true });
      const current = previous?.version ?? 0;
      if (input.version !== current + 1) throw new NoteVersionConflict(undefined, { current });
      const state = await this.conversations.recipientState(m, c);
      if (state.activeDevices.get(input.senderDeviceId) !== actor.id) throw new E2eeDeviceInvalid();
      if (input.epoch !== c.currentEpoch || state.needsRekey) {
        throw new E2eeEpochStale(undefined, { currentEpoch: c.currentEpoch, needsRekey: state.needsRekey });
      }
      const note = await this.notes.save(
        m,
        {
          sessionId,
          conversationId: c.id,
          kind,
          ownerUserId: owner,
          authorUserId: actor.id,
          version: input.version,
          epoch: input.epoch,
          senderDeviceId: input.senderDeviceId,
          nonce,
          ciphertext,
          signature,
          updatedAt: this.clock.now(),
        },
        previous?.id ?? null,
      );
      // A private note concerns only its author's other devices; the agenda both participants.
      await this.events.publish(m, {
        event: { type: 'note', data: { sessionId, conversationId: c.id, kind } },
        to: kind === 'PRIVATE' ? [actor.id] : [c.clientId, c.lawyerId],
      });
      return note;
    });
  }

  /** The conversation of the session's pair, for one of its participants; 404 SESSION_NOT_FOUND otherwise (or before it exists). */
  private async conversationOf(m: EntityManager, actor: AuthUser, sessionId: string): Promise<Conversation> {
    const session = await this.sessions.find(sessionId, actor.id, m);
    if (!session) throw new SessionNotFound();
    const conversation = await this.conversationRows.forPair(m, session.clientId, session.lawyerId);
    if (!conversation) throw new SessionNotFound();
    return conversation;
  }
}
