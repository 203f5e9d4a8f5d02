import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SessionLifecycle } from './session-lifecycle.service';
import { SessionsRepository } from './sessions.repository';

/**
 * The session lifecycle without HTTP: the state machine, `legal_sessions` and the append-only
 * `session_events`. Split from ConsultationsModule so the payments module can create and pay
 * sessions while the consultations endpoints use payments for refunds, without a cycle.
 */
@Module({
  imports: [AuditModule],
  providers: [SessionsRepository, SessionLifecycle],
  exports: [SessionLifecycle, SessionsRepository],
})
export class ConsultationsCoreModule {}
