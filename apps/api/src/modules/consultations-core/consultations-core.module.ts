import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { NotificationsModule } from '../notifications';
import { SessionEventSubscribers } from './session-event-subscribers';
import { SessionLifecycle } from './session-lifecycle.service';
import { SessionQueries } from './session-queries.service';
import { SessionViewsRepository } from './session-views.repository';
import { SessionsRepository } from './sessions.repository';

/**
 * The session lifecycle without HTTP: the state machine, `legal_sessions` and the append-only
 * `session_events`. Split from ConsultationsModule so the payments module can create and pay
 * sessions while the consultations endpoints use payments for refunds, without a cycle.
 */
@Module({
  imports: [AuditModule, NotificationsModule],
  providers: [SessionsRepository, SessionViewsRepository, SessionLifecycle, SessionQueries, SessionEventSubscribers],
  exports: [SessionLifecycle, SessionQueries, SessionEventSubscribers],
})
export class ConsultationsCoreModule {}
