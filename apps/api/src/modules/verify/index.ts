// The public surface of the verify module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { VerifyModule } from './verify.module';
