// The public surface of the audit module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
