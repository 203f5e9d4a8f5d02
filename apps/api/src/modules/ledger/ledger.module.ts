import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { PartnersModule } from '../partners';
import { LedgerAdminController } from './ledger-admin.controller';
import { LedgerReconciliationService } from './ledger-reconciliation.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/**
 * The double-entry ledger (append-only `ledger_transactions` / `ledger_entries`). The payments
 * module posts payments and refund reversals through `LedgerService` in its own transactions;
 * partners supply the first-touch referrers that earn commissions. It keeps the daily party
 * rollups that reports read and checks them against the raw ledger every day.
 */
@Module({
  imports: [PartnersModule, AuditModule],
  controllers: [LedgerAdminController],
  providers: [LedgerRepository, LedgerService, LedgerReconciliationService],
  exports: [LedgerService],
})
export class LedgerModule {}
