// The public surface of the finance module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { FinanceModule } from './finance.module';
export { PayoutsService } from './payouts.service';
export { ReportsService } from './reports.service';
