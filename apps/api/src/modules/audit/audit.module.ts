import { Module } from '@nestjs/common';
import { AuditAdminController } from './audit-admin.controller';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditPublicController } from './audit-public.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditSigner } from './audit-signer';

/**
 * The hash-chained audit trail. Other modules import it and call
 * `AuditService.record(manager, entry)` inside the transaction of the change they record.
 */
@Module({
  controllers: [AuditAdminController, AuditPublicController],
  providers: [AuditRepository, AuditService, AuditSigner, AuditCheckpointsService],
  exports: [AuditService],
})
export class AuditModule {}
