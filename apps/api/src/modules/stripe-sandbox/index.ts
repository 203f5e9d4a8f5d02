// The public surface of the stripe-sandbox module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { StripeSandboxModule } from './stripe-sandbox.module';
export { SandboxTestPayments } from './sandbox-test-payments';
