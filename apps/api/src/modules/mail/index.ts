// The public surface of the mail module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { MailModule } from './mail.module';
export { MailService } from './mail.service';
export type { EnqueueEmail } from './mail.service';
