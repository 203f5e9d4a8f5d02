import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { LedgerModule } from '../ledger';
import { NotificationsModule } from '../notifications';
import { WebhooksModule } from '../webhooks';
import { AdminPayoutsController, PayoutsController } from './payouts.controller';
import { PayoutsRepository } from './payouts.repository';
import { PayoutsService } from './payouts.service';
import { LawyerEarningsController, PartnerReportsController } from './reports.controller';
import { ReportsDb } from './reports-db';
import { ReportsService } from './reports.service';

/**
 * Finance: partner reports and lawyer earnings (read-only, from the ledger's daily rollups and
 * the partners' referral funnel, optionally on a replica), and manual payouts to partners and
 * lawyers (posted to the ledger through LedgerService in the same transaction).
 */
@Module({
  imports: [AuditModule, LedgerModule, NotificationsModule, WebhooksModule],
  controllers: [PartnerReportsController, LawyerEarningsController, AdminPayoutsController, PayoutsController],
  providers: [ReportsDb, ReportsService, PayoutsRepository, PayoutsService],
  exports: [ReportsService, PayoutsService],
})
export class FinanceModule {}
