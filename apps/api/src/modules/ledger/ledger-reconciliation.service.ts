import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit';
import { JobsService } from '../jobs';
import { LedgerService, type ReconciliationResult } from './ledger.service';

export const LEDGER_RECONCILE_QUEUE = 'ledger-reconcile';
/** Daily at 03:23 UTC (a quiet hour, off the round minute other jobs use). */
export const LEDGER_RECONCILE_CRON = '23 3 * * *';
/** How many differing fields an audit entry carries (the count is always complete). */
const AUDITED_DIFFERENCES = 100;

/**
 * The daily check that the rollups (`ledger_party_daily`) and the running balances
 * (`ledger_party_balances`) equal the raw ledger. Each run is
 * audited: `ledger.reconciled` when everything matches, `ledger.reconciliation_failed` with
 * the differences (and an error in the log) otherwise. The admin endpoint runs the same check
 * on demand without auditing (looking is not an event).
 */
@Injectable()
export class LedgerReconciliationService implements OnModuleInit {
  private readonly logger = new Logger(LedgerReconciliationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: LEDGER_RECONCILE_QUEUE, retryLimit: 0 }, async () => void (await this.runScheduled()), {
      cron: { expression: LEDGER_RECONCILE_CRON },
    });
  }

  /** One scheduled run: reconcile, then audit the outcome. */
  async runScheduled(): Promise<ReconciliationResult> {
    const result = await this.ledger.reconcile();
    const ok = result.differenceCount === 0;
    if (!ok) {
      this.logger.error(
        {
          differenceCount: result.differenceCount,
          differences: result.differences.slice(0, 10),
          balanceDifferences: result.balanceDifferences.slice(0, 10),
        },
        `Ledger rollups or balances differ from the ledger in ${result.differenceCount} field(s)`,
      );
    }
    await this.dataSource.transaction(async (m) => {
      // audit: ledger.reconciled | ledger.reconciliation_failed
      await this.audit.record(m, {
        actorId: null,
        actorRole: null,
        action: ok ? 'ledger.reconciled' : 'ledger.reconciliation_failed',
        subjectType: 'ledger',
        subjectId: null,
        payload: {
          checkedAt: result.checkedAt.toISOString(),
          rollupRows: result.rollupRows,
          ledgerGroups: result.ledgerGroups,
          balanceRows: result.balanceRows,
          balanceGroups: result.balanceGroups,
          differenceCount: result.differenceCount,
          ...(ok
            ? {}
            : {
                differences: result.differences.slice(0, AUDITED_DIFFERENCES),
                balanceDifferences: result.balanceDifferences.slice(0, AUDITED_DIFFERENCES),
              }),
        },
      });
    });
    return result;
  }
}
