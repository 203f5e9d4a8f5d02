import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners';
import { LedgerAdminController } from './ledger-admin.controller';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/**
 * The double-entry ledger (append-only `ledger_transactions` / `ledger_entries`). The payments
 * module posts payments and refund reversals through `LedgerService` in its own transactions;
 * partners supply the first-touch referrers that earn commissions.
 */
@Module({
  imports: [PartnersModule],
  controllers: [LedgerAdminController],
  providers: [LedgerRepository, LedgerService],
  exports: [LedgerService],
})
export class LedgerModule {}
