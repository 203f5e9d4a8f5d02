import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { NotificationsModule } from '../notifications';
import { WebhooksModule } from '../webhooks';
import { StorageModule } from '../storage';
import { AdminLawyersController } from './admin-lawyers.controller';
import { LawyerProfileController } from './lawyer-profile.controller';
import { LawyersPublicController } from './lawyers-public.controller';
import { LawyersRepository } from './lawyers.repository';
import { LawyersService } from './lawyers.service';
import { PhotoUploadParser } from './photo-upload.parser';

/**
 * Lawyer profiles and their verification by admins. The identity module calls
 * `LawyersService.createForNewLawyer(manager, userId)` in the sign-up transaction.
 */
@Module({
  imports: [AuditModule, StorageModule, NotificationsModule, WebhooksModule],
  controllers: [LawyerProfileController, LawyersPublicController, AdminLawyersController],
  providers: [LawyersRepository, LawyersService, PhotoUploadParser],
  exports: [LawyersService],
})
export class LawyersModule {}
