// The public surface of the messaging module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { MessagingModule } from './messaging.module';
