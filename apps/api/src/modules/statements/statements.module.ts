import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { NotificationsModule } from '../notifications';
import { StorageModule } from '../storage';
import { AdminStatementsController } from './admin-statements.controller';
import { StatementsController } from './statements.controller';
import { StatementsRepository } from './statements.repository';
import { StatementsService } from './statements.service';

/**
 * Monthly statements of partners and lawyers (issue 14): issued by an hourly job after each
 * month closes in the payee's zone, immutable, rendered as CSV and PDF into the blob store,
 * their SHA-256 in the audit trail. Reads the ledger through its views only.
 */
@Module({
  imports: [AuditModule, NotificationsModule, StorageModule],
  controllers: [StatementsController, AdminStatementsController],
  providers: [StatementsRepository, StatementsService],
  exports: [StatementsService],
})
export class StatementsModule {}
