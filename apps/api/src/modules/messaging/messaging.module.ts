import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { StorageModule } from '../storage';
import { AttachmentUploadParser } from './attachment-upload.parser';
import { AttachmentsService } from './attachments.service';
import { ConversationOpener } from './conversation-opener.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { E2eeKeysController } from './e2ee-keys.controller';
import { E2eeKeysService } from './e2ee-keys.service';
import { MessagingEventListener } from './events/messaging-event-listener';
import { MessagingEventsController } from './events/messaging-events.controller';
import { MessagingEventsPublisher } from './events/messaging-events';
import { MessagingStreams } from './events/messaging-streams.service';
import { KeysRepository } from './keys.repository';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { SessionNotesController } from './session-notes.controller';
import { SessionNotesRepository } from './session-notes.repository';
import { SessionNotesService } from './session-notes.service';

/**
 * End-to-end encrypted client–lawyer messaging (issue 16): users' public keys and wrapped key
 * backups, one conversation per client–lawyer pair (opened when a session is paid), key epochs
 * sealed to devices, ciphertext messages and attachments, read markers, encrypted session notes,
 * live events over PostgreSQL LISTEN/NOTIFY and a content-free "new message" email. The server
 * never sees plaintext or a private key.
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule, StorageModule],
  controllers: [E2eeKeysController, ConversationsController, SessionNotesController, MessagingEventsController],
  providers: [
    KeysRepository,
    ConversationsRepository,
    MessagesRepository,
    SessionNotesRepository,
    MessagingEventsPublisher,
    MessagingEventListener,
    MessagingStreams,
    E2eeKeysService,
    ConversationsService,
    MessagesService,
    AttachmentUploadParser,
    AttachmentsService,
    SessionNotesService,
    ConversationOpener,
  ],
  exports: [],
})
export class MessagingModule {}
