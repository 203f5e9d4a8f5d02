import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { SessionNotifications } from './session-notifications';
import { SessionRemindersService } from './session-reminders.service';

/**
 * Messages to users: in-app notifications and emails (through the mail outbox), written in the
 * caller's transaction from typed templates. Depends only on mail, jobs and audit, so every
 * other module (consultations-core, payments, lawyers, …) can send through it without a cycle.
 */
@Module({
  imports: [AuditModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, SessionNotifications, SessionRemindersService],
  exports: [NotificationsService, SessionNotifications, SessionRemindersService],
})
export class NotificationsModule {}
