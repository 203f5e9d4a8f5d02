import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { PaymentsModule } from '../payments';
import { VideoModule } from '../video';
import { AdminSupportController } from './admin-support.controller';
import { NoShowResolutions } from './no-show-resolutions.service';
import { SupportController } from './support.controller';
import { SupportRepository } from './support.repository';
import { SupportService } from './support.service';

/**
 * Support tickets and the admins' queue, with the no-show decision that moves a session
 * (SessionLifecycle) and refunds the client (PaymentsService), on the video module's attendance
 * evidence.
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule, PaymentsModule, VideoModule],
  controllers: [SupportController, AdminSupportController],
  providers: [SupportRepository, SupportService, NoShowResolutions],
})
export class SupportModule {}
