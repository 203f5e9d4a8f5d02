// The public surface of the ledger module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { LedgerModule } from './ledger.module';
export { LedgerService } from './ledger.service';
export type {
  BalanceDifference,
  BalanceField,
  OwedBalance,
  PayableAccount,
  PayoutPosting,
  ReconciliationResult,
  RollupDifference,
  RollupField,
} from './ledger.service';
