// The public surface of the statements module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { StatementsModule } from './statements.module';
export { StatementsService, STATEMENTS_ISSUE_QUEUE } from './statements.service';
export type { StatementFormat } from './statements.service';
