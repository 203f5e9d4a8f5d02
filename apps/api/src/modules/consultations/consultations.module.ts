import { Module } from '@nestjs/common';
import { MarketplaceModule } from '../marketplace';
import { PaymentsModule } from '../payments';
import { AdminSessionsController } from './admin-sessions.controller';
import { BookingPolicyController } from './booking-policy.controller';
import { ConsultationsCoreModule } from '../consultations-core';
import { ConsultationsService } from './consultations.service';
import { SessionsController } from './sessions.controller';

/**
 * The consultation endpoints: scheduling, rescheduling, cancellation with refunds, completion,
 * lists, details and calendar files. The lifecycle itself (state machine, `legal_sessions`,
 * `session_events`) is ConsultationsCoreModule, shared with the payments module.
 */
@Module({
  imports: [ConsultationsCoreModule, MarketplaceModule, PaymentsModule],
  controllers: [SessionsController, AdminSessionsController, BookingPolicyController],
  providers: [ConsultationsService],
  // For the demo seed, which books and proposes through the same rules as the endpoints.
  exports: [ConsultationsService],
})
export class ConsultationsModule {}
